using System.Globalization;
using System.Text.RegularExpressions;

namespace Tributary.Grains.Connect.Runtime.Config;

/// <summary>The partitions, replication factor (-1: the broker's default) and topic configs Connect creates a topic with.</summary>
public sealed record TopicSettings(int Partitions, short ReplicationFactor, IReadOnlyDictionary<string, string> Configs);

/// <summary>
/// A source connector's topic creation (KIP-158): topics it writes that do not exist are created with the settings of
/// the first group of <c>topic.creation.groups</c> whose <c>include</c> patterns match the topic and whose
/// <c>exclude</c> patterns do not, else the <c>default</c> group's; each group's <c>replication.factor</c> and
/// <c>partitions</c> (default: the default group's) and any other <c>topic.creation.&lt;group&gt;.*</c> key as a topic
/// config. Without <c>topic.creation.default.*</c> keys the connector does not create topics (the broker's
/// <c>auto.create.topics.enable</c> decides), as in Kafka.
/// </summary>
public sealed class TopicCreation
{
    public const string Prefix = "topic.creation.";
    private const string DefaultGroup = "default";

    private readonly IReadOnlyList<Group> _groups;
    private readonly Group _default;

    private TopicCreation(IReadOnlyList<Group> groups, Group defaultGroup)
    {
        _groups = groups;
        _default = defaultGroup;
    }

    /// <summary>The connector's topic creation, or null when it configures none.</summary>
    public static TopicCreation? From(IReadOnlyDictionary<string, string> config)
    {
        if (!config.Keys.Any(k => k.StartsWith(Prefix + DefaultGroup + ".", StringComparison.Ordinal)))
        {
            return null;
        }

        var defaults = ReadGroup(config, DefaultGroup, null);
        var names = ConnectorConfig.Aliases(config, ConnectorConfig.TopicCreationGroups).Where(g => g != DefaultGroup);
        return new TopicCreation([.. names.Select(name => ReadGroup(config, name, defaults))], defaults);
    }

    /// <summary>Kafka's checks of a connector's topic creation keys, as messages on the keys at fault.</summary>
    public static IEnumerable<(string Key, string Message)> Validate(IReadOnlyDictionary<string, string> config)
    {
        if (!config.Keys.Any(k => k.StartsWith(Prefix, StringComparison.Ordinal) && k != ConnectorConfig.TopicCreationGroups))
        {
            yield break;
        }

        foreach (var group in ConnectorConfig.Aliases(config, ConnectorConfig.TopicCreationGroups).Prepend(DefaultGroup).Distinct())
        {
            var prefix = Prefix + group + ".";
            foreach (var (setting, min) in new[] { ("replication.factor", short.MaxValue), ("partitions", int.MaxValue) })
            {
                var key = prefix + setting;
                if (!config.TryGetValue(key, out var text))
                {
                    if (group == DefaultGroup)
                    {
                        yield return (key, $"Missing required configuration \"{key}\" which has no default value.");
                    }

                    continue;
                }

                if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n > min || (n < 1 && n != -1))
                {
                    yield return (key, $"Invalid value {text} for configuration {key}: Number of {(setting == "partitions" ? "partitions" : "replicas")} must be positive, or -1 to use the broker's default");
                }
            }

            if (group != DefaultGroup && !config.ContainsKey(prefix + "include"))
            {
                yield return (prefix + "include", $"Missing required configuration \"{prefix}include\" which has no default value.");
            }

            foreach (var key in new[] { prefix + "include", prefix + "exclude" })
            {
                if (config.TryGetValue(key, out var patterns) && Patterns(patterns).FirstOrDefault(p => !IsRegex(p)) is { } bad)
                {
                    yield return (key, $"Invalid value {bad} for configuration {key}: Not a valid regular expression");
                }
            }
        }
    }

    /// <summary>The settings a new topic of this name is created with.</summary>
    public TopicSettings For(string topic)
    {
        var group = _groups.FirstOrDefault(g => g.Include.Any(p => p.IsMatch(topic)) && !g.Exclude.Any(p => p.IsMatch(topic))) ?? _default;
        return group.Settings;
    }

    private static Group ReadGroup(IReadOnlyDictionary<string, string> config, string name, Group? defaults)
    {
        var prefix = Prefix + name + ".";
        var own = config.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key[prefix.Length..], p => p.Value.Trim(), StringComparer.Ordinal);
        var partitions = own.TryGetValue("partitions", out var p) ? int.Parse(p, CultureInfo.InvariantCulture) : defaults?.Settings.Partitions ?? -1;
        var replication = own.TryGetValue("replication.factor", out var r) ? short.Parse(r, CultureInfo.InvariantCulture) : defaults?.Settings.ReplicationFactor ?? -1;
        var configs = own.Where(e => e.Key is not ("partitions" or "replication.factor" or "include" or "exclude"))
            .ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        return new Group(
            [.. Patterns(own.GetValueOrDefault("include")).Select(Whole)],
            [.. Patterns(own.GetValueOrDefault("exclude")).Select(Whole)],
            new TopicSettings(partitions, replication, configs));
    }

    private static IEnumerable<string> Patterns(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split(',').Select(p => p.Trim()).Where(p => p.Length > 0);

    private static Regex Whole(string pattern) => new("^(?:" + pattern + ")$", RegexOptions.CultureInvariant);

    private static bool IsRegex(string pattern)
    {
        try
        {
            _ = new Regex(pattern);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private sealed record Group(IReadOnlyList<Regex> Include, IReadOnlyList<Regex> Exclude, TopicSettings Settings);
}

using System.Globalization;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.Storage.Config;

namespace Tributary.Grains.Actors.Brokers;

/// <summary>DescribeConfigs of a BROKER resource, as Kafka's ConfigHelper answers it.</summary>
public sealed partial class LocalBrokerConfigs
{
    public DescribeConfigsResult Describe(string resourceName, IReadOnlyList<string>? names, bool includeSynonyms, bool includeDocumentation)
    {
        var perBroker = resourceName.Length > 0;
        if (perBroker)
        {
            if (!int.TryParse(resourceName, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
            {
                return Refused($"Broker id must be an integer, but it is: {resourceName}");
            }

            if (id != BrokerId)
            {
                return Refused($"Unexpected broker id, expected {BrokerId} or empty string, but received {resourceName}");
            }
        }

        var view = View;
        var wanted = names is { Count: > 0 } ? names.ToHashSet(StringComparer.Ordinal) : null;
        var entries = view.Names(perBroker)
            .Where(n => wanted is null || wanted.Contains(n))
            .Select(n => Entry(view, n, perBroker, includeSynonyms, includeDocumentation))
            .ToList();
        return new DescribeConfigsResult(ErrorCode.None, null, entries);
    }

    private static TopicConfigEntry Entry(BrokerConfigView view, string name, bool perBroker, bool includeSynonyms, bool includeDocumentation)
    {
        BrokerConfigs.ByName.TryGetValue(name, out var definition);
        var synonyms = view.Synonyms(name, perBroker);
        var sensitive = definition?.IsSensitive == true;
        var value = perBroker ? view.Value(name) : view.DynamicDefault[name];
        return new TopicConfigEntry(
            name,
            sensitive ? null : value,
            synonyms.Count == 0 ? ConfigSource.DefaultConfig : Source(synonyms[0].Layer),
            IsReadOnly: definition is not { IsDynamic: true },
            sensitive,
            (byte)(definition?.Type ?? 0),
            includeDocumentation ? definition?.Documentation : null,
            includeSynonyms ? synonyms.Select(s => new ConfigSynonym(s.Name, s.Value, Source(s.Layer))).ToList() : []);
    }

    /// <summary>Our layers are numbered as Kafka's config sources.</summary>
    internal static ConfigSource Source(ConfigLayer layer) => (ConfigSource)(sbyte)layer;

    private static DescribeConfigsResult Refused(string message) => new(ErrorCode.InvalidRequest, message, []);
}

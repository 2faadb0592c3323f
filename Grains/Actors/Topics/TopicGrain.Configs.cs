using Tributary.Grains.Actors.Brokers;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.Storage.Config;

namespace Tributary.Grains.Actors.Topics;

/// <summary>The topic's configs: described with their sources and defaults, replaced, or changed one by one.</summary>
public sealed partial class TopicGrain
{
    public Task<DescribeConfigsResult> DescribeConfigsAsync(IReadOnlyList<string>? names, bool includeSynonyms, bool includeDocumentation)
    {
        if (!state.State.Exists)
        {
            var missing = UnknownTopic();
            return Task.FromResult(new DescribeConfigsResult(missing.Error, missing.ErrorMessage, []));
        }

        var broker = brokerConfigs.View;
        var entries = TopicConfigs.All
            .Where(d => names is not { Count: > 0 } || names.Contains(d.Name, StringComparer.Ordinal))
            .Select(d => Describe(d, state.State.Configs.TryGetValue(d.Name, out var value) ? value : null, broker, includeSynonyms, includeDocumentation))
            .ToList();
        return Task.FromResult(new DescribeConfigsResult(ErrorCode.None, null, entries));
    }

    public async Task<TopicAdminResult> AlterConfigsAsync(IReadOnlyDictionary<string, string?> configs, bool validateOnly)
    {
        if (!state.State.Exists)
        {
            return UnknownTopic();
        }

        if (TopicConfigs.Validate(configs) is { } error)
        {
            return new TopicAdminResult(ErrorCode.InvalidConfig, error);
        }

        return await ReplaceConfigsAsync(configs.ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal), validateOnly);
    }

    public async Task<TopicAdminResult> IncrementalAlterConfigsAsync(IReadOnlyList<ConfigChange> changes, bool validateOnly)
    {
        if (!state.State.Exists)
        {
            return UnknownTopic();
        }

        var configs = new Dictionary<string, string>(state.State.Configs, StringComparer.Ordinal);
        foreach (var change in changes)
        {
            if (!TopicConfigs.ByName.TryGetValue(change.Name, out var definition))
            {
                return new TopicAdminResult(ErrorCode.InvalidConfig, $"Unknown topic config name: {change.Name}");
            }

            (ConfigType, string?) known = (definition.Type, definition.DefaultValue);
            if (IncrementalConfigChange.Apply(configs, change.Name, (IncrementalOperation)change.Operation, change.Value, known) is { } refused)
            {
                return new TopicAdminResult(ErrorCode.InvalidConfig, refused);
            }
        }

        if (TopicConfigs.Validate(configs.Select(c => new KeyValuePair<string, string?>(c.Key, c.Value))) is { } error)
        {
            return new TopicAdminResult(ErrorCode.InvalidConfig, error);
        }

        return await ReplaceConfigsAsync(configs, validateOnly);
    }

    private async Task<TopicAdminResult> ReplaceConfigsAsync(Dictionary<string, string> configs, bool validateOnly)
    {
        if (validateOnly)
        {
            return TopicAdminResult.Ok;
        }

        state.State.Configs = configs;
        await SaveAsync();
        await UpdatePartitionConfigsAsync(configs);
        return TopicAdminResult.Ok;
    }

    /// <summary>
    /// One config as Kafka's ConfigHelper describes a topic's: its own value, else the broker's default for it, with
    /// the synonyms that value comes from (the topic's own, then the broker config's at each level that sets it).
    /// </summary>
    private static TopicConfigEntry Describe(
        TopicConfigDefinition definition, string? overridden, BrokerConfigView broker, bool includeSynonyms, bool includeDocumentation)
    {
        var synonyms = new List<ConfigSynonym>();
        if (overridden is not null)
        {
            synonyms.Add(new ConfigSynonym(definition.Name, overridden, ConfigSource.TopicConfig));
        }

        synonyms.AddRange(broker.TopicSynonyms(definition.Name).Select(s => new ConfigSynonym(s.Name, s.Value, LocalBrokerConfigs.Source(s.Layer))));
        var value = overridden ?? (broker.TopicDefaults.TryGetValue(definition.Name, out var inherited) ? inherited : definition.DefaultValue);
        return new TopicConfigEntry(
            definition.Name,
            value,
            synonyms.Count == 0 ? ConfigSource.DefaultConfig : synonyms[0].Source,
            IsReadOnly: false,
            IsSensitive: false,
            (byte)definition.Type,
            includeDocumentation ? definition.Documentation : null,
            includeSynonyms ? synonyms : []);
    }
}

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

        var entries = TopicConfigs.All
            .Where(d => names is null || names.Contains(d.Name, StringComparer.Ordinal))
            .Select(d => Describe(d, state.State.Configs.TryGetValue(d.Name, out var value) ? value : null, includeSynonyms, includeDocumentation))
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

            switch (change.Operation)
            {
                case ConfigOperation.Set:
                    configs[change.Name] = change.Value ?? "";
                    break;
                case ConfigOperation.Delete:
                    configs.Remove(change.Name);
                    break;
                case ConfigOperation.Append or ConfigOperation.Subtract when definition.Type == ConfigType.List:
                    var items = (configs.TryGetValue(change.Name, out var current) ? current : definition.DefaultValue)
                        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
                    var operands = (change.Value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    items = change.Operation == ConfigOperation.Append
                        ? [.. items, .. operands.Where(o => !items.Contains(o, StringComparer.Ordinal))]
                        : items.Where(i => !operands.Contains(i, StringComparer.Ordinal)).ToList();
                    configs[change.Name] = string.Join(',', items);
                    break;
                default:
                    return new TopicAdminResult(ErrorCode.InvalidConfig,
                        $"Operation {change.Operation} is only for list configs; {change.Name} is not one.");
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
        await state.WriteStateAsync();
        await ForEachPartitionAsync(p => p.UpdateConfigAsync(configs));
        return TopicAdminResult.Ok;
    }

    private static TopicConfigEntry Describe(TopicConfigDefinition definition, string? overridden, bool includeSynonyms, bool includeDocumentation)
    {
        var synonyms = new List<ConfigSynonym>();
        if (includeSynonyms)
        {
            if (overridden is not null)
            {
                synonyms.Add(new ConfigSynonym(definition.Name, overridden, ConfigSource.TopicConfig));
            }

            synonyms.Add(new ConfigSynonym(definition.BrokerSynonym ?? definition.Name, definition.DefaultValue, ConfigSource.DefaultConfig));
        }

        return new TopicConfigEntry(
            definition.Name,
            overridden ?? definition.DefaultValue,
            overridden is null ? ConfigSource.DefaultConfig : ConfigSource.TopicConfig,
            IsReadOnly: false,
            IsSensitive: false,
            (byte)definition.Type,
            includeDocumentation ? definition.Documentation : null,
            synonyms);
    }
}

namespace Tributary.Grains.Storage.Config;

/// <summary>IncrementalAlterConfigs' operations, numbered as on the wire.</summary>
public enum IncrementalOperation : byte
{
    Set = 0,
    Delete = 1,
    Append = 2,
    Subtract = 3,
}

/// <summary>
/// Applies IncrementalAlterConfigs' operations to the configs a resource holds, as Kafka's
/// <c>prepareIncrementalConfigs</c> does: SET and DELETE on any config, APPEND and SUBTRACT on list configs only,
/// starting from the config's default when the resource does not hold it.
/// </summary>
public static class IncrementalConfigChange
{
    /// <summary>
    /// Applies one operation to <paramref name="configs"/>. <paramref name="definition"/> is the config's type and
    /// default, null for a name the resource type does not know. Returns null, or the message of Kafka's
    /// INVALID_CONFIG.
    /// </summary>
    public static string? Apply(
        Dictionary<string, string> configs, string name, IncrementalOperation operation, string? value, (ConfigType Type, string? Default)? definition)
    {
        switch (operation)
        {
            case IncrementalOperation.Set:
                configs[name] = value ?? "";
                return null;
            case IncrementalOperation.Delete:
                configs.Remove(name);
                return null;
            case IncrementalOperation.Append or IncrementalOperation.Subtract:
                if (definition is not { } known)
                {
                    return $"Unknown config name: {name}";
                }

                if (known.Type != ConfigType.List)
                {
                    return $"Config value {(operation == IncrementalOperation.Append ? "append" : "subtract")} is not allowed for config key: {name}";
                }

                var items = BrokerConfigs.SplitList(configs.TryGetValue(name, out var current) ? current : known.Default ?? "").ToList();
                var operands = BrokerConfigs.SplitList(value ?? "");
                items = operation == IncrementalOperation.Append
                    ? [.. items, .. operands.Where(o => !items.Contains(o, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal)]
                    : items.Where(i => !operands.Contains(i, StringComparer.Ordinal)).ToList();
                configs[name] = string.Join(',', items);
                return null;
            default:
                return $"Unknown operations type {(byte)operation}";
        }
    }
}

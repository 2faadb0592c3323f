namespace Tributary.Grains.Storage.Config;

/// <summary>
/// The levels a broker config's value can come from, highest precedence first, numbered as Kafka's DescribeConfigs
/// reports them as config sources.
/// </summary>
public enum ConfigLayer : byte
{
    /// <summary>Set at runtime for one broker (resource name: its id).</summary>
    DynamicBroker = 2,

    /// <summary>Set at runtime for the whole cluster (empty resource name).</summary>
    DynamicDefault = 3,

    /// <summary>What the broker was started with: its settings, under Kafka's names.</summary>
    Static = 4,

    /// <summary>Kafka's default.</summary>
    Default = 5,
}

/// <summary>A value of a config name at one layer, as DescribeConfigs lists synonyms.</summary>
public sealed record ConfigLayerValue(string Name, string? Value, ConfigLayer Layer);

namespace Tributary.Grains.Interfaces.Topics;

/// <summary>Where a config's value comes from, numbered as Kafka's DescribeConfigs reports it.</summary>
public enum ConfigSource : sbyte
{
    Unknown = 0,
    TopicConfig = 1,
    DynamicBrokerConfig = 2,
    DynamicDefaultBrokerConfig = 3,
    StaticBrokerConfig = 4,
    DefaultConfig = 5,
    DynamicBrokerLoggerConfig = 6,
}

/// <summary>One config of a topic as DescribeConfigs shows it: value, source, type and the values it overrides.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Topics.TopicConfigEntry")]
public sealed record TopicConfigEntry(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Value,
    [property: Id(2)] ConfigSource Source,
    [property: Id(3)] bool IsReadOnly,
    [property: Id(4)] bool IsSensitive,
    [property: Id(5)] byte ConfigType,
    [property: Id(6)] string? Documentation,
    [property: Id(7)] IReadOnlyList<ConfigSynonym> Synonyms);

/// <summary>A value the config takes from another level (topic override, broker default).</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Topics.ConfigSynonym")]
public sealed record ConfigSynonym(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Value,
    [property: Id(2)] ConfigSource Source);

/// <summary>The outcome of DescribeConfigs for one topic.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Topics.DescribeConfigsResult")]
public sealed record DescribeConfigsResult(
    [property: Id(0)] ErrorCode Error,
    [property: Id(1)] string? ErrorMessage,
    [property: Id(2)] IReadOnlyList<TopicConfigEntry> Entries);

/// <summary>IncrementalAlterConfigs' operations, numbered as on the wire.</summary>
public enum ConfigOperation : sbyte
{
    Set = 0,
    Delete = 1,
    Append = 2,
    Subtract = 3,
}

/// <summary>One change of IncrementalAlterConfigs.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Topics.ConfigChange")]
public sealed record ConfigChange(
    [property: Id(0)] string Name,
    [property: Id(1)] ConfigOperation Operation,
    [property: Id(2)] string? Value);

/// <summary>The outcome of a topic admin operation: Kafka's error code and message.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Topics.TopicAdminResult")]
public sealed record TopicAdminResult(
    [property: Id(0)] ErrorCode Error,
    [property: Id(1)] string? ErrorMessage)
{
    public static readonly TopicAdminResult Ok = new(ErrorCode.None, null);
}

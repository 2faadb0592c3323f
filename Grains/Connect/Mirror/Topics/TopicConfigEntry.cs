namespace Tributary.Grains.Connect.Mirror.Topics;

/// <summary>One configuration of a source topic as DescribeConfigs reports it, with what decides whether it is copied.</summary>
public sealed record TopicConfigEntry(string Name, string? Value, bool IsDefault, bool IsReadOnly, bool IsSensitive, bool IsStaticBrokerConfig);

namespace Tributary.Grains.RestConsumers;

/// <summary>
/// A consumer instance's settings, by Confluent's names: <c>format</c> (the embedded format records are rendered in),
/// <c>auto.offset.reset</c> (earliest, latest or none; only earliest starts at the log start, the others at the high
/// watermark), <c>auto.commit.enable</c>, <c>consumer.request.timeout.ms</c>.
/// </summary>
public sealed record InstanceConfig(string Format, string AutoOffsetReset, bool AutoCommit, int RequestTimeoutMs)
{
    public bool ResetsToEarliest => AutoOffsetReset == "earliest";
}

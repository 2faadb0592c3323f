using System.Globalization;

namespace Tributary.Grains.Connect.Runtime.Config;

/// <summary>
/// A connector's <c>producer.override.*</c>, <c>consumer.override.*</c> and <c>admin.override.*</c> settings (KIP-458).
/// Tasks here write and read through the partition grains, not Kafka clients, so only the settings that mean something
/// to them are taken: <c>producer.override.compression.type</c>, <c>consumer.override.auto.offset.reset</c> and
/// <c>consumer.override.max.poll.records</c>; any other override is refused when the connector is validated rather than
/// accepted and ignored, and the worker's <c>connector.client.config.override.policy</c> (<c>None</c> refuses all)
/// applies first.
/// </summary>
public sealed record ClientOverrides(string CompressionType, string AutoOffsetReset, int MaxPollRecords)
{
    public const string ProducerPrefix = "producer.override.";
    public const string ConsumerPrefix = "consumer.override.";
    public const string AdminPrefix = "admin.override.";

    private static readonly string[] Compressions = ["none", "gzip", "snappy", "lz4", "zstd"];
    private static readonly string[] Resets = ["earliest", "latest", "none"];

    public static ClientOverrides From(IReadOnlyDictionary<string, string> config) => new(
        config.GetValueOrDefault(ProducerPrefix + "compression.type")?.Trim().ToLowerInvariant() ?? "none",
        config.GetValueOrDefault(ConsumerPrefix + "auto.offset.reset")?.Trim().ToLowerInvariant() ?? "earliest",
        config.TryGetValue(ConsumerPrefix + "max.poll.records", out var max) ? int.Parse(max.Trim(), CultureInfo.InvariantCulture) : 500);

    /// <summary>Errors on the override keys a policy refuses, that tasks would not honour, or whose values are wrong.</summary>
    public static IEnumerable<(string Key, string Message)> Validate(IReadOnlyDictionary<string, string> config, string policy)
    {
        foreach (var (key, value) in config.Where(p => p.Key.StartsWith(ProducerPrefix, StringComparison.Ordinal) ||
                                                      p.Key.StartsWith(ConsumerPrefix, StringComparison.Ordinal) ||
                                                      p.Key.StartsWith(AdminPrefix, StringComparison.Ordinal)))
        {
            if (!string.Equals(policy, "All", StringComparison.OrdinalIgnoreCase))
            {
                yield return (key, $"The '{policy}' policy does not allow '{key}' to be overridden in the connector configuration.");
                continue;
            }

            var error = key switch
            {
                ProducerPrefix + "compression.type" when !Compressions.Contains(value.Trim().ToLowerInvariant()) =>
                    $"Invalid value {value} for configuration {key}: String must be one of: {string.Join(", ", Compressions)}",
                ConsumerPrefix + "auto.offset.reset" when !Resets.Contains(value.Trim().ToLowerInvariant()) =>
                    $"Invalid value {value} for configuration {key}: String must be one of: {string.Join(", ", Resets)}",
                ConsumerPrefix + "max.poll.records" when !int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1 =>
                    $"Invalid value {value} for configuration {key}: Value must be at least 1",
                ProducerPrefix + "compression.type" or ConsumerPrefix + "auto.offset.reset" or ConsumerPrefix + "max.poll.records" => null,
                _ => $"'{key}' cannot be honoured: Connect's tasks here write and read through the broker itself, not Kafka clients; the overrides taken are {ProducerPrefix}compression.type, {ConsumerPrefix}auto.offset.reset and {ConsumerPrefix}max.poll.records.",
            };
            if (error is not null)
            {
                yield return (key, error);
            }
        }
    }
}

using Tributary.Grains.Connect.Runtime.Config;

namespace Tributary.Grains.Connect.Runtime.Errors;

/// <summary>A connector's <c>errors.*</c> settings, read once per task.</summary>
public sealed record ErrorHandlingConfig(
    bool TolerateAll,
    TimeSpan RetryTimeout,
    TimeSpan MaxRetryDelay,
    bool LogEnabled,
    bool LogIncludeMessages,
    string DeadLetterTopic,
    short DeadLetterReplicationFactor,
    bool DeadLetterContextHeaders)
{
    public static ErrorHandlingConfig From(IReadOnlyDictionary<string, string> config)
    {
        var parsed = ConnectorConfig.Sink().Parse(WithPlaceholders(config));
        var retry = parsed.GetLong(ConnectorConfig.ErrorsRetryTimeout);
        return new ErrorHandlingConfig(
            string.Equals(parsed.GetString(ConnectorConfig.ErrorsTolerance), "all", StringComparison.OrdinalIgnoreCase),
            retry < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(retry),
            TimeSpan.FromMilliseconds(parsed.GetLong(ConnectorConfig.ErrorsRetryMaxDelay)),
            parsed.GetBoolean(ConnectorConfig.ErrorsLogEnable),
            parsed.GetBoolean(ConnectorConfig.ErrorsLogIncludeMessages),
            parsed.GetString(ConnectorConfig.DlqTopicName)?.Trim() ?? "",
            parsed.GetShort(ConnectorConfig.DlqTopicReplicationFactor),
            parsed.GetBoolean(ConnectorConfig.DlqContextHeadersEnable));
    }

    // The error keys do not depend on the name and class, which a task's copy of the config always has anyway.
    private static Dictionary<string, string> WithPlaceholders(IReadOnlyDictionary<string, string> config)
    {
        var copy = new Dictionary<string, string>(config, StringComparer.Ordinal);
        copy.TryAdd(ConnectorConfig.Name, "connector");
        copy.TryAdd(ConnectorConfig.ConnectorClass, "connector");
        return copy;
    }
}

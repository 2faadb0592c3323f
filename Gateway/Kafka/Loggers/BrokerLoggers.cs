using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Gateway.Kafka.Loggers;

/// <summary>
/// Kafka's BROKER_LOGGER resource (KIP-412, Kafka's RuntimeLoggerManager) over Microsoft.Extensions.Logging: the
/// loggers are this process's logging categories (and <c>root</c>, the default level), each with the level it logs
/// at under the filter rules in force; IncrementalAlterConfigs SET gives a category (and the categories under it) a
/// level, DELETE takes that back. Kafka's level names map to ours: TRACE, DEBUG, INFO (Information), WARN (Warning),
/// ERROR, FATAL (Critical). Per broker and not stored, as in Kafka.
/// </summary>
public sealed class BrokerLoggers(
    BrokerIdentity broker,
    LoggerCategories categories,
    LoggerLevelOverrides overrides,
    IOptionsMonitor<LoggerFilterOptions> filters,
    ILogger<BrokerLoggers> logger)
{
    private static readonly string ValidLevels = "DEBUG, ERROR, FATAL, INFO, TRACE, WARN";

    public DescribeConfigsResult Describe(string resourceName, IReadOnlyList<string>? names)
    {
        if (resourceName.Length == 0)
        {
            return Refused("Broker id must not be empty");
        }

        if (!int.TryParse(resourceName, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
        {
            return Refused($"Broker id must be an integer, but it is: {resourceName}");
        }

        if (id != broker.BrokerId)
        {
            return Refused($"Unexpected broker id, expected {broker.BrokerId} but received {resourceName}");
        }

        var options = filters.CurrentValue;
        var wanted = names is { Count: > 0 } ? names.ToHashSet(StringComparer.Ordinal) : null;
        var entries = Loggers(options)
            .Where(n => wanted is null || wanted.Contains(n))
            .Select(n => new TopicConfigEntry(n, KafkaLevel(Level(options, n)), ConfigSource.DynamicBrokerLoggerConfig, false, false, 0, null, []))
            .ToList();
        return new DescribeConfigsResult(ErrorCode.None, null, entries);
    }

    public TopicAdminResult IncrementalAlter(string resourceName, IReadOnlyList<ConfigChange> changes, bool validateOnly)
    {
        if (!int.TryParse(resourceName, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
        {
            return new TopicAdminResult(ErrorCode.InvalidRequest, $"Node id must be an integer, but it is: {resourceName}");
        }

        if (id != broker.BrokerId)
        {
            return new TopicAdminResult(ErrorCode.InvalidRequest, $"Unexpected node id. Expected {broker.BrokerId}, but received {resourceName}");
        }

        if (changes.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != changes.Count)
        {
            return new TopicAdminResult(ErrorCode.InvalidRequest, "Error due to duplicate config keys");
        }

        var nulls = changes.Where(c => c.Value is null && c.Operation != ConfigOperation.Delete).Select(c => c.Name).ToList();
        if (nulls.Count > 0)
        {
            return new TopicAdminResult(ErrorCode.InvalidRequest, $"Null value not supported for : {string.Join(", ", nulls)}");
        }

        var options = filters.CurrentValue;
        foreach (var change in changes)
        {
            if (Validate(options, change) is { } refused)
            {
                return refused;
            }
        }

        if (!validateOnly)
        {
            foreach (var change in changes)
            {
                if (change.Operation == ConfigOperation.Set)
                {
                    overrides.Set(change.Name, OurLevel(change.Value!));
                    LoggerChanges.LevelSet(logger, change.Name, change.Value!);
                }
                else
                {
                    overrides.Unset(change.Name);
                    LoggerChanges.LevelUnset(logger, change.Name);
                }
            }
        }

        return TopicAdminResult.Ok;
    }

    private TopicAdminResult? Validate(LoggerFilterOptions options, ConfigChange change)
    {
        switch (change.Operation)
        {
            case ConfigOperation.Set:
                if (!Exists(options, change.Name))
                {
                    return new TopicAdminResult(ErrorCode.InvalidConfig, $"Logger {change.Name} does not exist!");
                }

                return ValidLevels.Split(", ").Contains(change.Value, StringComparer.Ordinal)
                    ? null
                    : new TopicAdminResult(ErrorCode.InvalidConfig,
                        $"Cannot set the log level of {change.Name} to {change.Value} as it is not a supported log level. Valid log levels are {ValidLevels}");
            case ConfigOperation.Delete:
                if (!Exists(options, change.Name))
                {
                    return new TopicAdminResult(ErrorCode.InvalidConfig, $"Logger {change.Name} does not exist!");
                }

                return change.Name == LoggerLevelOverrides.Root
                    ? new TopicAdminResult(ErrorCode.InvalidRequest, $"Removing the log level of the {LoggerLevelOverrides.Root} logger is not allowed")
                    : null;
            case ConfigOperation.Append or ConfigOperation.Subtract:
                return new TopicAdminResult(ErrorCode.InvalidRequest,
                    $"{change.Operation.ToString().ToUpperInvariant()} operation is not allowed for the BROKER_LOGGER resource");
            default:
                return new TopicAdminResult(ErrorCode.InvalidRequest,
                    $"Unknown operation type {(sbyte)change.Operation} is not allowed for the BROKER_LOGGER resource");
        }
    }

    /// <summary><c>root</c>, then every category in use or named by a rule, in order.</summary>
    private IEnumerable<string> Loggers(LoggerFilterOptions options) =>
        new[] { LoggerLevelOverrides.Root }.Concat(categories.Known
            .Concat(options.Rules.Where(r => r.ProviderName is null && r.CategoryName is { } c && !c.Contains('*', StringComparison.Ordinal)).Select(r => r.CategoryName!))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal));

    private bool Exists(LoggerFilterOptions options, string name) => LoggerLevels.Exists(options, categories, name);

    private static LogLevel Level(LoggerFilterOptions options, string category) => LoggerLevels.Level(options, category);

    private static string KafkaLevel(LogLevel level) => LoggerLevels.KafkaName(level);

    private static LogLevel OurLevel(string level) => level switch
    {
        "TRACE" => LogLevel.Trace,
        "DEBUG" => LogLevel.Debug,
        "INFO" => LogLevel.Information,
        "WARN" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        _ => LogLevel.Critical,
    };

    private static DescribeConfigsResult Refused(string message) => new(ErrorCode.InvalidRequest, message, []);
}

/// <summary>What BROKER_LOGGER changes are logged with, as Kafka logs them (at warning, so they show).</summary>
internal static partial class LoggerChanges
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Updated the log level of {LoggerName} to {Level}")]
    public static partial void LevelSet(ILogger logger, string loggerName, string level);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unset the log level of {LoggerName}")]
    public static partial void LevelUnset(ILogger logger, string loggerName);
}

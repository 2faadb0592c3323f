using Microsoft.Extensions.Logging;

namespace Tributary.Gateway.Kafka.Loggers;

/// <summary>
/// What Kafka's two views of this process's loggers share (the broker's BROKER_LOGGER resource and Connect's
/// <c>/admin/loggers</c>): which loggers exist, the level a logger logs at under the filter rules in force, and Kafka's
/// (log4j's) names of the levels.
/// </summary>
public static class LoggerLevels
{
    /// <summary>A logger exists when it is root, a category in use or named by a rule, or a namespace of one in use.</summary>
    public static bool Exists(LoggerFilterOptions options, LoggerCategories categories, string name) =>
        name == LoggerLevelOverrides.Root
        || categories.Contains(name)
        || options.Rules.Any(r => string.Equals(r.CategoryName, name, StringComparison.OrdinalIgnoreCase))
        || categories.Known.Any(c => c.StartsWith(name + ".", StringComparison.OrdinalIgnoreCase));

    /// <summary>The categories the rules that name no provider give a level to (wildcards left out), in order.</summary>
    public static IEnumerable<string> RuleCategories(LoggerFilterOptions options) =>
        options.Rules
            .Where(r => r.ProviderName is null && r.LogLevel is not null && r.CategoryName is { } c && !c.Contains('*', StringComparison.Ordinal))
            .Select(r => r.CategoryName!)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal);

    /// <summary>
    /// The level a category logs at, as the logger factory chooses among the rules that name no provider: the
    /// longest matching category wins, the last of equals; with none, the minimum level.
    /// </summary>
    public static LogLevel Level(LoggerFilterOptions options, string category)
    {
        LoggerFilterRule? best = null;
        foreach (var rule in options.Rules)
        {
            if (rule.ProviderName is not null || rule.LogLevel is null)
            {
                continue;
            }

            if (category == LoggerLevelOverrides.Root ? rule.CategoryName is not null : rule.CategoryName is { } c && !Matches(category, c))
            {
                continue;
            }

            if (best?.CategoryName is { } current && (rule.CategoryName is null || current.Length > rule.CategoryName.Length))
            {
                continue;
            }

            best = rule;
        }

        return best?.LogLevel ?? options.MinLevel;
    }

    /// <summary>Kafka's (log4j's) name of a level: TRACE, DEBUG, INFO, WARN, ERROR, FATAL, OFF.</summary>
    public static string KafkaName(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO",
        LogLevel.Warning => "WARN",
        LogLevel.Error => "ERROR",
        LogLevel.Critical => "FATAL",
        _ => "OFF",
    };

    /// <summary>
    /// A log4j level name (upper case, as log4j's <c>Level.toLevel</c> takes it) as ours: ALL is TRACE, FATAL is
    /// Critical, OFF is None; false for any other name.
    /// </summary>
    public static bool TryParseKafkaName(string name, out LogLevel level)
    {
        (var known, level) = name switch
        {
            "ALL" or "TRACE" => (true, LogLevel.Trace),
            "DEBUG" => (true, LogLevel.Debug),
            "INFO" => (true, LogLevel.Information),
            "WARN" => (true, LogLevel.Warning),
            "ERROR" => (true, LogLevel.Error),
            "FATAL" => (true, LogLevel.Critical),
            "OFF" => (true, LogLevel.None),
            _ => (false, LogLevel.None),
        };
        return known;
    }

    private static bool Matches(string category, string rule)
    {
        var star = rule.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return category.StartsWith(rule, StringComparison.OrdinalIgnoreCase);
        }

        var prefix = rule[..star];
        var suffix = rule[(star + 1)..];
        return category.Length >= prefix.Length + suffix.Length
            && category.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            && category.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
    }
}

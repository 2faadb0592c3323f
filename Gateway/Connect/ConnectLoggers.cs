using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Gateway.Connect.Json;
using Tributary.Gateway.Kafka.Loggers;

namespace Tributary.Gateway.Connect;

/// <summary>
/// Connect's <c>/admin/loggers</c> (KIP-495, KIP-976) over the same mechanism as the broker's BROKER_LOGGER: this
/// process's logging categories (<see cref="LoggerCategories"/>), their levels under Microsoft.Extensions.Logging's
/// filter rules, and levels set at runtime as rules added after the configured ones (<see cref="LoggerLevelOverrides"/>).
/// A logger with "a level of its own", which Kafka lists, is one a rule names. As in Kafka the levels last until the
/// process stops; unlike Kafka's distributed workers, a cluster-wide change reaches only this silo (as in Kafka's
/// standalone mode), since no grain spreads levels to the other silos yet.
/// </summary>
internal sealed class ConnectLoggers(
    LoggerCategories categories,
    LoggerLevelOverrides overrides,
    IOptionsMonitor<LoggerFilterOptions> filters,
    TimeProvider time,
    ConnectLog log)
{
    private readonly ConcurrentDictionary<string, long> _lastModified = new(StringComparer.OrdinalIgnoreCase);

    /// <summary><c>root</c> and each logger a rule gives a level, by name.</summary>
    public SortedDictionary<string, LoggerLevel> All()
    {
        var options = filters.CurrentValue;
        var all = new SortedDictionary<string, LoggerLevel>(StringComparer.Ordinal);
        foreach (var name in LoggerLevels.RuleCategories(options).Prepend(LoggerLevelOverrides.Root))
        {
            all[name] = LevelOf(options, name);
        }

        return all;
    }

    /// <summary>A logger's level; null for a logger that does not exist.</summary>
    public LoggerLevel? Get(string name)
    {
        var options = filters.CurrentValue;
        return LoggerLevels.Exists(options, categories, name) ? LevelOf(options, name) : null;
    }

    /// <summary>
    /// Sets the level of a namespace and every logger under it (Kafka's <c>setLevel</c>: each logger whose name starts
    /// with the namespace, every one for <c>root</c>, the namespace itself when none does); answers their names, in order.
    /// </summary>
    public IReadOnlyList<string> Set(string ns, LogLevel level)
    {
        var options = filters.CurrentValue;
        var isRoot = ns == LoggerLevelOverrides.Root;
        bool Under(string category) => isRoot || category.StartsWith(ns, StringComparison.OrdinalIgnoreCase);

        var affected = categories.Known.Concat(LoggerLevels.RuleCategories(options)).Where(Under).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (isRoot || affected.Count == 0)
        {
            affected.Add(ns);
        }

        overrides.Set(ns, level);

        // A rule for a category under the namespace would keep its own level, where Kafka sets every child logger's.
        foreach (var category in LoggerLevels.RuleCategories(options).Where(c => Under(c) && !string.Equals(c, ns, StringComparison.OrdinalIgnoreCase)))
        {
            overrides.Set(category, level);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        foreach (var name in affected)
        {
            _lastModified[name] = now;
        }

        log.LevelSet(ns, LoggerLevels.KafkaName(level), affected.Count);
        affected.Sort(StringComparer.Ordinal);
        return affected;
    }

    private LoggerLevel LevelOf(LoggerFilterOptions options, string name) =>
        new(LoggerLevels.KafkaName(LoggerLevels.Level(options, name)), _lastModified.TryGetValue(name, out var at) ? at : null);
}

using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Tributary.Gateway.Kafka.Loggers;

/// <summary>
/// Log levels set at runtime through BROKER_LOGGER, as rules added after the configured ones to
/// Microsoft.Extensions.Logging's <see cref="LoggerFilterOptions"/> (a later rule for the same category wins). A
/// change fires the options' change token, on which the logger factory re-reads its filters at once. Like Kafka's,
/// these levels last until the process stops. A provider-specific rule of the configuration
/// (<c>Logging:Console:LogLevel</c>) still takes precedence for its provider.
/// </summary>
public sealed class LoggerLevelOverrides : IPostConfigureOptions<LoggerFilterOptions>, IOptionsChangeTokenSource<LoggerFilterOptions>
{
    /// <summary>Kafka's name of the logger every other one inherits from.</summary>
    public const string Root = "root";

    private readonly ConcurrentDictionary<string, LogLevel> _levels = new(StringComparer.OrdinalIgnoreCase);
    private CancellationTokenSource _changed = new();

    public string? Name => Options.DefaultName;

    public void Set(string category, LogLevel level)
    {
        _levels[category] = level;
        Fire();
    }

    public void Unset(string category)
    {
        _levels.TryRemove(category, out _);
        Fire();
    }

    public void PostConfigure(string? name, LoggerFilterOptions options)
    {
        foreach (var (category, level) in _levels.ToArray().OrderBy(l => l.Key.Length))
        {
            options.Rules.Add(new LoggerFilterRule(null, category == Root ? null : category, level, null));
        }
    }

    public IChangeToken GetChangeToken() => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    private void Fire()
    {
        using var previous = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
        previous.Cancel();
    }
}

using Microsoft.Extensions.Logging;

namespace Tributary.Silo.Support;

/// <summary>
/// The silo's last warnings and errors, kept in memory for the support bundle: a ring of the newest
/// <see cref="Capacity"/> entries, each message and exception cut to <see cref="MaxEntryChars"/>, so that what it holds
/// is bounded whatever the silo logs. Entries below <see cref="LogLevel.Warning"/> are not kept.
/// </summary>
public sealed class RecentLogs : ILoggerProvider
{
    public const int Capacity = 500;
    public const int MaxEntryChars = 4_000;

    private readonly Lock _lock = new();
    private readonly RecentLogEntry[] _ring = new RecentLogEntry[Capacity];
    private readonly TimeProvider _time;
    private long _written;

    public RecentLogs(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <summary>The entries kept, oldest first.</summary>
    public IReadOnlyList<RecentLogEntry> Snapshot()
    {
        lock (_lock)
        {
            var count = (int)Math.Min(_written, Capacity);
            var first = _written - count;
            return [.. Enumerable.Range(0, count).Select(i => _ring[(first + i) % Capacity])];
        }
    }

    /// <summary>Warnings and errors logged since the start, kept or not.</summary>
    public long Written
    {
        get
        {
            lock (_lock)
            {
                return _written;
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(LogLevel level, string category, EventId eventId, string message, Exception? exception)
    {
        var entry = new RecentLogEntry(
            _time.GetUtcNow(), level.ToString(), category, eventId.Id, Cut(message), exception is null ? null : Cut(exception.ToString()));
        lock (_lock)
        {
            _ring[_written % Capacity] = entry;
            _written++;
        }
    }

    private static string Cut(string text) => text.Length <= MaxEntryChars ? text : string.Concat(text.AsSpan(0, MaxEntryChars), "…");

    private sealed class Logger(RecentLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                logs.Add(logLevel, category, eventId, formatter(state, exception), exception);
            }
        }
    }
}

/// <summary>One warning or error as the support bundle shows it.</summary>
public sealed record RecentLogEntry(DateTimeOffset Time, string Level, string Category, int EventId, string Message, string? Exception);

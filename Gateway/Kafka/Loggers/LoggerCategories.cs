using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Tributary.Gateway.Kafka.Loggers;

/// <summary>
/// The logging categories in use in this process, which BROKER_LOGGER lists as Kafka lists its log4j loggers: a
/// logger provider that writes nothing and records the category of every logger the factory creates.
/// </summary>
public sealed class LoggerCategories : ILoggerProvider
{
    private readonly ConcurrentDictionary<string, byte> _categories = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Known => (IReadOnlyCollection<string>)_categories.Keys;

    public bool Contains(string category) => _categories.ContainsKey(category);

    public ILogger CreateLogger(string categoryName)
    {
        _categories.TryAdd(categoryName, 0);
        return NullLogger.Instance;
    }

    public void Dispose()
    {
    }
}

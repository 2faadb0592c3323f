using System.Collections.Concurrent;

namespace Tributary.Gateway.Kafka;

/// <summary>
/// Lets one log line per kind of event through per interval and counts the others, so that a client cannot decide
/// how much the broker logs (a flood of malformed connections writes a line per interval, not one each). The line
/// that goes through reports how many of its kind were held back since the last one.
/// <para>Kinds are names the code chooses (a handful), never values a client sends, so the table stays small.</para>
/// <para>Thread-safe.</para>
/// </summary>
public sealed class RateLimitedLog(TimeProvider time, TimeSpan interval)
{
    /// <summary>The interval of the Kafka listener's client-error lines.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, Kind> _kinds = new(StringComparer.Ordinal);

    public RateLimitedLog()
        : this(TimeProvider.System, DefaultInterval)
    {
    }

    /// <summary>
    /// True when a line of <paramref name="kind"/> may be written now: the first of its kind, or the first since the
    /// interval passed. <paramref name="suppressed"/> is then the number held back since the last line; on false,
    /// this event is counted among them.
    /// </summary>
    public bool ShouldLog(string kind, out long suppressed)
    {
        var state = _kinds.GetOrAdd(kind, static _ => new Kind());
        var now = time.GetTimestamp();
        lock (state)
        {
            if (state.LastLogged is { } last && time.GetElapsedTime(last, now) < interval)
            {
                state.Suppressed++;
                suppressed = 0;
                return false;
            }

            suppressed = state.Suppressed;
            state.Suppressed = 0;
            state.LastLogged = now;
            return true;
        }
    }

    private sealed class Kind
    {
        public long? LastLogged { get; set; }

        public long Suppressed { get; set; }
    }
}

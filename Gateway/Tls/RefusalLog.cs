namespace Tributary.Gateway.Tls;

/// <summary>
/// Lets one line about refused clients through per interval and counts the rest, so that no client decides how much
/// a port logs. Thread-safe.
/// </summary>
public sealed class RefusalLog(TimeProvider time)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private long? _last;
    private long _suppressed;

    public bool ShouldLog(out long suppressed)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            if (_last is { } last && time.GetElapsedTime(last, now) < Interval)
            {
                _suppressed++;
                suppressed = 0;
                return false;
            }

            suppressed = _suppressed;
            _suppressed = 0;
            _last = now;
            return true;
        }
    }
}

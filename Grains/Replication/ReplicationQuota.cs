namespace Tributary.Grains.Replication;

/// <summary>
/// A replication throttle's byte rate, after Kafka's ReplicationQuotaManager: the bytes recorded in the last
/// <c>replication.quota.window.num</c> windows of <c>replication.quota.window.size.seconds</c>, over at least all but
/// one of them (Kafka's Rate, so that a quiet start does not read as a burst), against the limit
/// (<c>leader.replication.throttled.rate</c> or <c>follower.replication.throttled.rate</c>), read at each check so
/// that a dynamic change applies at once. Thread-safe.
/// </summary>
public sealed class ReplicationQuota
{
    private readonly Func<long> _bytesPerSecond;
    private readonly TimeProvider _time;
    private readonly long _windowMs;
    private readonly (long Window, long Bytes)[] _samples;
    private readonly Lock _lock = new();

    public ReplicationQuota(Func<long> bytesPerSecond, int windows = 11, TimeSpan? windowSize = null, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windows, 1);
        _bytesPerSecond = bytesPerSecond;
        _time = time ?? TimeProvider.System;
        _windowMs = (long)(windowSize ?? TimeSpan.FromSeconds(1)).TotalMilliseconds;
        _samples = new (long, long)[windows];
        Array.Fill(_samples, (-1L, 0L));
    }

    /// <summary>Counts <paramref name="bytes"/> replicated for a throttled replica.</summary>
    public void Record(long bytes)
    {
        if (bytes <= 0)
        {
            return;
        }

        var window = NowMs / _windowMs;
        lock (_lock)
        {
            ref var sample = ref _samples[window % _samples.Length];
            sample = sample.Window == window ? (window, sample.Bytes + bytes) : (window, bytes);
        }
    }

    /// <summary>Whether the measured rate is above the limit: throttled replicas get no more bytes for now.</summary>
    public bool IsExceeded()
    {
        var limit = _bytesPerSecond();
        return limit != long.MaxValue && Rate() > limit;
    }

    /// <summary>The measured rate in bytes per second.</summary>
    public double Rate()
    {
        var now = NowMs;
        var current = now / _windowMs;
        long total = 0;
        var oldest = current;
        lock (_lock)
        {
            foreach (var (window, bytes) in _samples)
            {
                if (window >= 0 && window > current - _samples.Length)
                {
                    total += bytes;
                    oldest = Math.Min(oldest, window);
                }
            }
        }

        var elapsedMs = now - (oldest * _windowMs);
        var minimumMs = (_samples.Length - 1) * _windowMs;
        return total * 1000.0 / Math.Max(Math.Max(elapsedMs, minimumMs), 1);
    }

    private long NowMs => _time.GetUtcNow().ToUnixTimeMilliseconds();
}

using System.Diagnostics;

namespace Tributary.Grains.Storage.Cleaner;

/// <summary>
/// Kafka's Throttler for <c>log.cleaner.io.max.bytes.per.second</c>: the cleaner threads together read and write at
/// most that many bytes per second, measured over short windows; a thread that got ahead sleeps until the rate is
/// back under the bound. Shared by the cleaner threads; the sleep is on the cleaner's own thread, never a grain's.
/// </summary>
internal sealed class IoThrottle(double bytesPerSecond, TimeProvider time)
{
    private const long CheckIntervalMs = 300;

    private readonly Lock _lock = new();
    private long _windowStart = time.GetTimestamp();
    private double _observed;

    public double BytesPerSecond { get; } = bytesPerSecond;

    /// <summary>Counts <paramref name="bytes"/> and sleeps if the rate of the current window is above the bound.</summary>
    public void Take(long bytes, CancellationToken cancellation)
    {
        if (double.IsPositiveInfinity(BytesPerSecond) || BytesPerSecond >= double.MaxValue)
        {
            return;
        }

        TimeSpan sleep;
        lock (_lock)
        {
            _observed += bytes;
            var elapsed = time.GetElapsedTime(_windowStart);
            if (elapsed.TotalMilliseconds < CheckIntervalMs)
            {
                return;
            }

            var rate = _observed / elapsed.TotalSeconds;
            sleep = rate > BytesPerSecond
                ? TimeSpan.FromSeconds(_observed / BytesPerSecond) - elapsed
                : TimeSpan.Zero;
            _windowStart = time.GetTimestamp() + (long)(sleep.TotalSeconds * time.TimestampFrequency);
            _observed = 0;
        }

        if (sleep > TimeSpan.Zero)
        {
            Debug.Assert(sleep.TotalSeconds < 3600, "A window never asks for an hour's sleep.");
            cancellation.WaitHandle.WaitOne(sleep);
        }
    }
}

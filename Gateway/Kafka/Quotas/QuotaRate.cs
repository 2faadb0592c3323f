namespace Tributary.Gateway.Kafka.Quotas;

/// <summary>
/// Kafka's quota rate (a <c>Rate</c> over a <c>SampledStat</c> with a <c>Quota</c> bound, as of Kafka 3.8): what was
/// recorded in the samples whose last event lies within the last <c>samples</c> windows of <c>window</c> milliseconds,
/// divided by the time from the oldest sample's start, that time counted as at least <c>samples - 1</c> windows so that
/// a new client's first burst is spread as Kafka spreads it. A sample that began before the windows but still has
/// events in them is kept (one slot more than the windows, Kafka's "overlapping sample"). When a recording takes the
/// rate above its bound, the throttle time is how long the client must stay silent for the rate to come back to the
/// bound: (rate - bound) / bound × the time the rate was measured over. Not thread-safe: its owner locks it.
/// </summary>
public sealed class QuotaRate(int samples, long windowMs)
{
    private readonly int _windows = Math.Max(1, samples);
    private readonly Sample[] _samples = new Sample[Math.Max(1, samples) + 1];
    private int _count;
    private int _current;

    /// <summary>When it last recorded (ms), for forgetting idle rates.</summary>
    public long LastRecordMs { get; private set; }

    /// <summary>Records <paramref name="value"/> at <paramref name="nowMs"/> and returns the throttle time, 0 while within <paramref name="bound"/>.</summary>
    public long Record(double value, long nowMs, double bound)
    {
        Add(value, nowMs);
        var window = WindowMs(nowMs);
        var rate = Total() / (window / 1000.0);
        return rate <= bound ? 0 : (long)Math.Round((rate - bound) / bound * window);
    }

    /// <summary>Records without a check (a value taken back is recorded negated).</summary>
    public void Add(double value, long nowMs)
    {
        LastRecordMs = nowMs;
        if (_count == 0)
        {
            _samples[0] = new Sample(nowMs);
            _count = 1;
            _current = 0;
        }
        else if (nowMs - _samples[_current].Start >= windowMs)
        {
            _current = (_current + 1) % _samples.Length;
            if (_current >= _count)
            {
                _count++;
            }

            _samples[_current] = new Sample(nowMs);
        }

        _samples[_current].Value += value;
        _samples[_current].LastEvent = nowMs;
    }

    private double Total()
    {
        var total = 0.0;
        for (var i = 0; i < _count; i++)
        {
            total += _samples[i].Value;
        }

        return total;
    }

    /// <summary>Kafka's <c>Rate.windowSize</c>: from the oldest sample's start to now, at least <c>samples - 1</c> whole windows, at least 1 ms.</summary>
    private long WindowMs(long nowMs)
    {
        Purge(nowMs);
        var oldest = _samples[0].Start;
        for (var i = 1; i < _count; i++)
        {
            oldest = Math.Min(oldest, _samples[i].Start);
        }

        var elapsed = nowMs - oldest;
        var fullWindows = elapsed / windowMs;
        var minFullWindows = _windows - 1;
        if (fullWindows < minFullWindows)
        {
            elapsed += (minFullWindows - fullWindows) * windowMs;
        }

        return Math.Max(elapsed, 1);
    }

    /// <summary>Samples whose last event is older than all the windows together count for nothing (Kafka resets them to now).</summary>
    private void Purge(long nowMs)
    {
        var expireAge = _windows * windowMs;
        for (var i = 0; i < _count; i++)
        {
            if (nowMs - _samples[i].LastEvent >= expireAge)
            {
                _samples[i] = new Sample(nowMs);
            }
        }
    }

    private struct Sample(long start)
    {
        public readonly long Start = start;
        public long LastEvent = start;
        public double Value;
    }
}

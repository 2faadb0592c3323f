using Tributary.Grains.KafkaFormats.Quotas;

namespace Tributary.Gateway.Kafka.Quotas;

/// <summary>
/// The rates of one kind of quota (produced bytes, fetched bytes, request time) on this broker, one per
/// <see cref="ClientQuotaBound">sharing group</see> (the quota's user and client-id tags), as Kafka keeps one sensor per
/// quota metric. At most <see cref="MaxRates"/> are kept, so that clients inventing client ids cannot make the broker
/// hold more: when they are reached, those idle for an hour are forgotten (Kafka's sensors expire after an hour), and
/// if none is, the idlest tenth. A forgotten rate starts again empty. Thread-safe.
/// </summary>
public sealed class QuotaSensors(int samples, long windowMs, TimeProvider time)
{
    /// <summary>Kafka's <c>InactiveSensorExpirationTimeSeconds</c>.</summary>
    private const long IdleExpiryMs = 3_600_000;

    public const int MaxRates = 100_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<(string User, string ClientId), QuotaRate> _rates = [];

    /// <summary>The time quotas are measured in (ms).</summary>
    public long NowMs => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Records <paramref name="value"/> against the bound's rate; the throttle time (ms), 0 within the bound.</summary>
    public long Record(ClientQuotaBound bound, double value)
    {
        var now = NowMs;
        lock (_lock)
        {
            return RateOf(bound, now).Record(value, now, bound.Limit);
        }
    }

    /// <summary>Takes back what <see cref="Record"/> counted, for work that was then not done (a throttled fetch's bytes).</summary>
    public void Unrecord(ClientQuotaBound bound, double value)
    {
        var now = NowMs;
        lock (_lock)
        {
            RateOf(bound, now).Add(-value, now);
        }
    }

    /// <summary>How many rates are kept.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _rates.Count;
            }
        }
    }

    private QuotaRate RateOf(ClientQuotaBound bound, long now)
    {
        var key = (bound.User, bound.ClientId);
        if (_rates.TryGetValue(key, out var rate))
        {
            return rate;
        }

        if (_rates.Count >= MaxRates)
        {
            Forget(now);
        }

        _rates[key] = rate = new QuotaRate(samples, windowMs);
        return rate;
    }

    private void Forget(long now)
    {
        foreach (var (key, rate) in _rates.ToList())
        {
            if (now - rate.LastRecordMs >= IdleExpiryMs)
            {
                _rates.Remove(key);
            }
        }

        if (_rates.Count >= MaxRates)
        {
            // None idle long enough: the idlest tenth makes room.
            foreach (var (key, _) in _rates.OrderBy(r => r.Value.LastRecordMs).Take(MaxRates / 10).ToList())
            {
                _rates.Remove(key);
            }
        }
    }
}

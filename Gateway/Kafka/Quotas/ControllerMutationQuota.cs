using Microsoft.Extensions.Options;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats.Quotas;

namespace Tributary.Gateway.Kafka.Quotas;

/// <summary>
/// Kafka's controller mutation quota (KIP-599, the <c>controller_mutation_rate</c> client quota): the partitions that
/// CreateTopics, CreatePartitions and DeleteTopics create or delete, counted against a token bucket per quota (the
/// user and client id that the cluster's <see cref="ClientQuotas">quota entities</see> name, Kafka's precedence
/// deciding; without one, per client id at <see cref="KafkaListenerOptions.ControllerMutationRate"/>) that refills at
/// the quota's partitions a second and holds at most what 11 seconds bring (Kafka's <c>quota.window.num</c> × <c>quota.window.size.seconds</c>). As Kafka's strict quota (the
/// APIs' newer versions), a mutation is refused only while the bucket is already below zero, so that one large operation
/// is still possible and the client then waits the time the bucket takes to refill (its throttle time); as Kafka's
/// permissive quota (older versions, and topics created by Metadata), mutations are always allowed and counted. Each
/// silo keeps its own buckets, as each Kafka broker does for the requests it receives. Thread-safe.
/// </summary>
public sealed class ControllerMutationQuota(IOptions<KafkaListenerOptions> options, ClientQuotas quotas, TimeProvider time)
{
    /// <summary>
    /// The bucket's depth in seconds of its rate: <see cref="KafkaListenerOptions.QuotaWindowNum"/> ×
    /// <see cref="KafkaListenerOptions.QuotaWindowSizeSeconds"/> (Kafka's <c>controller.quota.window.*</c>, whose
    /// defaults, 11 and 1, are those of the client quotas' windows).
    /// </summary>
    private double BurstSeconds => (double)options.Value.QuotaWindowNum * options.Value.QuotaWindowSizeSeconds;

    /// <summary>Buckets kept before full ones (which a new client would get anyway) are forgotten.</summary>
    private const int MaxIdleBuckets = 10_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<(string User, string ClientId), Bucket> _buckets = [];

    /// <summary>
    /// Takes <paramref name="partitions"/> from the client's bucket, or with a <paramref name="strict"/> quota refuses
    /// when the bucket is already below zero (THROTTLING_QUOTA_EXCEEDED). A mutation that then fails gives them back
    /// with <see cref="Refund"/>.
    /// </summary>
    public bool TryAcquire(KafkaRequest request, int partitions, bool strict)
    {
        if (QuotaOf(request) is not { } quota)
        {
            return true;
        }

        lock (_lock)
        {
            var bucket = BucketOf(quota);
            if (strict && bucket.Tokens < 0)
            {
                return false;
            }

            bucket.Tokens -= partitions;
            return true;
        }
    }

    /// <summary>Gives back what <see cref="TryAcquire"/> took for a mutation that did not happen.</summary>
    public void Refund(KafkaRequest request, int partitions)
    {
        if (QuotaOf(request) is not { } quota)
        {
            return;
        }

        lock (_lock)
        {
            var bucket = BucketOf(quota);
            bucket.Tokens = Math.Min(bucket.Tokens + partitions, quota.Limit * BurstSeconds);
        }
    }

    /// <summary>How long the client should wait before its next mutation: the time its bucket takes to reach zero.</summary>
    public int ThrottleTimeMs(KafkaRequest request)
    {
        if (QuotaOf(request) is not { } quota)
        {
            return 0;
        }

        lock (_lock)
        {
            var tokens = BucketOf(quota).Tokens;
            return tokens >= 0 ? 0 : (int)Math.Min(int.MaxValue, Math.Round(-tokens / quota.Limit * 1000));
        }
    }

    /// <summary>The versions from which Kafka enforces the quota strictly (earlier ones only throttle).</summary>
    public static bool IsStrict(ApiKey key, short version) => key switch
    {
        ApiKey.CreateTopics => version >= 6,
        ApiKey.CreatePartitions => version >= 3,
        ApiKey.DeleteTopics => version >= 5,
        _ => false,
    };

    /// <summary>The request's quota: the cluster's for its user and client id, else the silo's default per client id; null when none.</summary>
    private ClientQuotaBound? QuotaOf(KafkaRequest request) =>
        quotas.BoundOf(request, ClientQuotaKeys.ControllerMutationRate)
        ?? (options.Value.ControllerMutationRate > 0 ? new ClientQuotaBound(options.Value.ControllerMutationRate, string.Empty, request.ClientId ?? string.Empty) : null);

    private Bucket BucketOf(ClientQuotaBound quota)
    {
        var now = time.GetTimestamp();
        var rate = quota.Limit;
        var burst = rate * BurstSeconds;
        var key = (quota.User, quota.ClientId);
        if (!_buckets.TryGetValue(key, out var bucket))
        {
            if (_buckets.Count >= MaxIdleBuckets)
            {
                ForgetFullBuckets(now);
            }

            _buckets[key] = bucket = new Bucket { Tokens = burst, Updated = now, Rate = rate };
            return bucket;
        }

        // A quota changed since the bucket's last use refills at its new rate from now on, up to its new depth.
        var elapsed = time.GetElapsedTime(bucket.Updated, now).TotalSeconds;
        bucket.Tokens = Math.Min(burst, bucket.Tokens + (elapsed * bucket.Rate));
        bucket.Updated = now;
        bucket.Rate = rate;
        return bucket;
    }

    private void ForgetFullBuckets(long now)
    {
        foreach (var (key, bucket) in _buckets.ToList())
        {
            if (bucket.Tokens + (time.GetElapsedTime(bucket.Updated, now).TotalSeconds * bucket.Rate) >= bucket.Rate * BurstSeconds)
            {
                _buckets.Remove(key);
            }
        }
    }

    private sealed class Bucket
    {
        public double Tokens { get; set; }

        public long Updated { get; set; }

        public double Rate { get; set; }
    }
}

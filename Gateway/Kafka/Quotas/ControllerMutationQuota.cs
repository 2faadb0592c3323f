using Microsoft.Extensions.Options;
using Tributary.Gateway.Protocol.Messages;

namespace Tributary.Gateway.Kafka.Quotas;

/// <summary>
/// Kafka's controller mutation quota (KIP-599, the <c>controller_mutation_rate</c> client quota): the partitions that
/// CreateTopics, CreatePartitions and DeleteTopics create or delete, counted per client id against a token bucket that
/// refills at <see cref="KafkaListenerOptions.ControllerMutationRate"/> partitions a second and holds at most what 11
/// seconds bring (Kafka's <c>quota.window.num</c> × <c>quota.window.size.seconds</c>). As Kafka's strict quota (the
/// APIs' newer versions), a mutation is refused only while the bucket is already below zero, so that one large operation
/// is still possible and the client then waits the time the bucket takes to refill (its throttle time); as Kafka's
/// permissive quota (older versions, and topics created by Metadata), mutations are always allowed and counted. Each
/// silo keeps its own buckets, as each Kafka broker does for the requests it receives. Thread-safe.
/// </summary>
public sealed class ControllerMutationQuota(IOptions<KafkaListenerOptions> options, TimeProvider time)
{
    /// <summary>Kafka's <c>quota.window.num</c> (11) × <c>quota.window.size.seconds</c> (1): the bucket's depth in seconds.</summary>
    public const double BurstSeconds = 11;

    /// <summary>Buckets kept before full ones (which a new client would get anyway) are forgotten.</summary>
    private const int MaxIdleBuckets = 10_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    private double Rate => options.Value.ControllerMutationRate;

    public bool Enabled => Rate > 0;

    /// <summary>
    /// Takes <paramref name="partitions"/> from the client's bucket, or with a <paramref name="strict"/> quota refuses
    /// when the bucket is already below zero (THROTTLING_QUOTA_EXCEEDED). A mutation that then fails gives them back
    /// with <see cref="Refund"/>.
    /// </summary>
    public bool TryAcquire(string? clientId, int partitions, bool strict)
    {
        if (!Enabled)
        {
            return true;
        }

        lock (_lock)
        {
            var bucket = BucketOf(clientId ?? string.Empty);
            if (strict && bucket.Tokens < 0)
            {
                return false;
            }

            bucket.Tokens -= partitions;
            return true;
        }
    }

    /// <summary>Gives back what <see cref="TryAcquire"/> took for a mutation that did not happen.</summary>
    public void Refund(string? clientId, int partitions)
    {
        if (!Enabled)
        {
            return;
        }

        lock (_lock)
        {
            var bucket = BucketOf(clientId ?? string.Empty);
            bucket.Tokens = Math.Min(bucket.Tokens + partitions, Rate * BurstSeconds);
        }
    }

    /// <summary>How long the client should wait before its next mutation: the time its bucket takes to reach zero.</summary>
    public int ThrottleTimeMs(string? clientId)
    {
        if (!Enabled)
        {
            return 0;
        }

        lock (_lock)
        {
            var tokens = BucketOf(clientId ?? string.Empty).Tokens;
            return tokens >= 0 ? 0 : (int)Math.Min(int.MaxValue, Math.Round(-tokens / Rate * 1000));
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

    /// <summary>
    /// The versions whose clients wait out <c>throttle_time_ms</c> themselves (KIP-219); for older ones Kafka holds the
    /// connection for that long, which <see cref="HoldAsync"/> does by answering late.
    /// </summary>
    public static bool ClientThrottles(ApiKey key, short version) => key switch
    {
        ApiKey.CreateTopics => version >= 3,
        ApiKey.CreatePartitions => version >= 1,
        ApiKey.DeleteTopics => version >= 2,
        _ => true,
    };

    /// <summary>Delays the answer by the throttle time when the request's version predates client-side throttling.</summary>
    public static Task HoldAsync(KafkaRequest request, int throttleTimeMs, CancellationToken cancellationToken) =>
        throttleTimeMs > 0 && !ClientThrottles(request.ApiKey, request.ApiVersion)
            ? Task.Delay(throttleTimeMs, cancellationToken)
            : Task.CompletedTask;

    private Bucket BucketOf(string clientId)
    {
        var now = time.GetTimestamp();
        var burst = Rate * BurstSeconds;
        if (!_buckets.TryGetValue(clientId, out var bucket))
        {
            if (_buckets.Count >= MaxIdleBuckets)
            {
                ForgetFullBuckets(now, burst);
            }

            _buckets[clientId] = bucket = new Bucket { Tokens = burst, Updated = now };
            return bucket;
        }

        var elapsed = time.GetElapsedTime(bucket.Updated, now).TotalSeconds;
        bucket.Tokens = Math.Min(burst, bucket.Tokens + (elapsed * Rate));
        bucket.Updated = now;
        return bucket;
    }

    private void ForgetFullBuckets(long now, double burst)
    {
        foreach (var (clientId, bucket) in _buckets.ToList())
        {
            if (bucket.Tokens + (time.GetElapsedTime(bucket.Updated, now).TotalSeconds * Rate) >= burst)
            {
                _buckets.Remove(clientId);
            }
        }
    }

    private sealed class Bucket
    {
        public double Tokens { get; set; }

        public long Updated { get; set; }
    }
}

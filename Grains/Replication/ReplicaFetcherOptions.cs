namespace Tributary.Grains.Replication;

/// <summary>
/// How a broker's replica fetchers fetch, with Kafka's broker config names and defaults:
/// <c>replica.fetch.max.bytes</c> (per partition, at least one batch whatever its size),
/// <c>replica.fetch.response.max.bytes</c> (per request), <c>replica.fetch.wait.max.ms</c> (the long poll) and
/// <c>replica.fetch.backoff.ms</c> (after a failed fetch), and the follower's replication throttle
/// (<c>follower.replication.throttled.rate</c>), none by default.
/// </summary>
public sealed record ReplicaFetcherOptions
{
    public int MaxBytesPerPartition { get; init; } = 1024 * 1024;

    public int ResponseMaxBytes { get; init; } = 10 * 1024 * 1024;

    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan Backoff { get; init; } = TimeSpan.FromMilliseconds(1000);

    public ReplicationQuota? Quota { get; init; }
}

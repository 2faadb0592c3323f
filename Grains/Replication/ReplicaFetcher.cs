using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Grains.Replication;

/// <summary>
/// Where a fetcher's requests go: the broker that leads its partitions (over a grain call in a cluster). The answers
/// come back in the order of the requests.
/// </summary>
public interface IReplicaSource
{
    /// <param name="responseMaxBytes">The most record bytes the answer may hold in all (<c>replica.fetch.response.max.bytes</c>).</param>
    Task<IReadOnlyList<ReplicaFetchResponse>> FetchAsync(
        IReadOnlyList<ReplicaPartitionFetch> fetches, TimeSpan maxWait, int responseMaxBytes, CancellationToken cancellationToken);
}

/// <summary>
/// Kafka's ReplicaFetcherThread for one source broker: every partition this broker follows on that leader is fetched
/// in one request per round (long-polling, so idle partitions cost nothing), within <c>replica.fetch.max.bytes</c> per
/// partition and <c>replica.fetch.response.max.bytes</c> per round, which the leader fills in the request's order
/// (partitions take turns at the front, so that none waits behind busy ones for long), and each
/// answer is applied to its <see cref="FollowerReplica"/>. A partition whose leader moved, or whose epoch is fenced or
/// unknown, leaves the fetcher and is reported, for its owner to find the new leader; a failed round backs off for
/// <c>replica.fetch.backoff.ms</c>.
/// <para>Threads: <see cref="RunAsync"/> runs the rounds on one task; partitions are added and removed from any.</para>
/// </summary>
public sealed partial class ReplicaFetcher(IReplicaSource source, ReplicaFetcherOptions options, ILogger? logger = null)
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    private readonly ConcurrentDictionary<ReplicaKey, FollowerReplica> _partitions = new();
    /// <summary>How long a fetcher whose every partition is throttled waits before it looks again.</summary>
    private static readonly TimeSpan ThrottledWait = TimeSpan.FromMilliseconds(100);

    private readonly SemaphoreSlim _added = new(0);
    private int _rotation;

    /// <summary>A partition left the fetcher because of this error: its owner looks for its leader again.</summary>
    public event Action<ReplicaKey, ErrorCode>? PartitionFailed;

    /// <summary>Rounds completed, for tests and metrics.</summary>
    public long Rounds { get; private set; }

    public int PartitionCount => _partitions.Count;

    public void Add(ReplicaKey key, FollowerReplica replica)
    {
        _partitions[key] = replica;
        _added.Release();
    }

    /// <summary>Stops fetching <paramref name="key"/>; once this completes no answer is applied to its log.</summary>
    public async Task RemoveAsync(ReplicaKey key)
    {
        if (_partitions.TryRemove(key, out var replica))
        {
            await replica.StopAsync().ConfigureAwait(false);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var round = Plan();
            if (round.Count == 0)
            {
                if (_partitions.IsEmpty)
                {
                    await _added.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // Every partition is throttled for now: the quota frees as its window moves on.
                    await Task.Delay(ThrottledWait, cancellationToken).ConfigureAwait(false);
                }

                continue;
            }

            IReadOnlyList<ReplicaFetchResponse> answers;
            try
            {
                answers = await source.FetchAsync([.. round.Select(r => new ReplicaPartitionFetch(r.Key, r.Request))], options.MaxWait, options.ResponseMaxBytes, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // One line per failed round at most, and rounds wait replica.fetch.backoff.ms after a failure.
                LogFetchFailed(_logger, round.Count, e);
                await Task.Delay(options.Backoff, cancellationToken).ConfigureAwait(false);
                continue;
            }

            for (var i = 0; i < round.Count; i++)
            {
                var (key, replica, _) = round[i];
                if (replica.ThrottledByConfig)
                {
                    options.Quota?.Record(answers[i].Records.Length);
                }

                ErrorCode error;
                try
                {
                    error = await replica.ApplyAsync(answers[i]).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
                {
                    // This partition's log failed (its disk, or it closed): it alone leaves the fetcher.
                    LogApplyFailed(_logger, key.Topic, key.Partition, e);
                    error = ErrorCode.KafkaStorageError;
                }
                finally
                {
                    // Written to the log (or dropped): the answer's pooled array goes back.
                    PooledBuffer.Release(answers[i].Records.Memory);
                }

                if (error != ErrorCode.None && _partitions.TryRemove(new KeyValuePair<ReplicaKey, FollowerReplica>(key, replica)))
                {
                    await replica.StopAsync().ConfigureAwait(false);
                    PartitionFailed?.Invoke(key, error);
                }
            }

            Rounds++;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Replica of {Topic}-{Partition} could not apply its leader's answer; it stops following")]
    private static partial void LogApplyFailed(ILogger logger, string topic, int partition, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Replica fetch of {Partitions} partitions failed; retrying after replica.fetch.backoff.ms")]
    private static partial void LogFetchFailed(ILogger logger, int partitions, Exception exception);

    /// <summary>This round's requests: every partition's next fetch, the first partition turning round by round.</summary>
    private List<(ReplicaKey Key, FollowerReplica Replica, ReplicaFetchRequest Request)> Plan()
    {
        // ConcurrentDictionary.ToArray is one consistent snapshot; enumerating it through LINQ's ICollection copy is not.
        var partitions = _partitions.ToArray().OrderBy(p => p.Key.Topic, StringComparer.Ordinal).ThenBy(p => p.Key.Partition).ToArray();
        var round = new List<(ReplicaKey, FollowerReplica, ReplicaFetchRequest)>(partitions.Length);
        var start = partitions.Length == 0 ? 0 : _rotation++ % partitions.Length;
        var throttle = options.Quota?.IsExceeded() ?? false;
        for (var i = 0; i < partitions.Length; i++)
        {
            var (key, replica) = partitions[(start + i) % partitions.Length];
            if (throttle && replica.Throttled)
            {
                // Kafka's shouldFollowerThrottle: skipped this round.
                continue;
            }

            round.Add((key, replica, replica.NextFetch(options.MaxBytesPerPartition)));
        }

        return round;
    }
}

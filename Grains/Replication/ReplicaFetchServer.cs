using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Grains.Replication;

/// <summary>One partition of a follower broker's fetch: the partition's leader on this broker (null when it leads it no longer) and the follower's request.</summary>
public readonly record struct PartitionFetch(LeaderReplica? Leader, ReplicaFetchRequest Request);

/// <summary>
/// The leader broker's side of a replica fetch that carries many partitions (Kafka's fetch from a replica, with its
/// DelayedFetch): every partition is answered at once when one of them has data, a diverging epoch or an error;
/// otherwise the answer waits up to the fetch's max wait for an append to any of them, so that a follower of idle
/// partitions costs one call per wait, not a busy loop. The answer holds at most <c>responseMaxBytes</c> of records
/// (<c>replica.fetch.response.max.bytes</c>; the first batch whole whatever its size): partitions past the budget
/// are answered without records, their fetch offsets still taken as what the follower holds.
/// </summary>
public static class ReplicaFetchServer
{
    /// <param name="quota">The leader's replication throttle (<c>leader.replication.throttled.rate</c>): a partition
    /// whose replica here is throttled (<see cref="LeaderReplica.ReplicationThrottled"/>) answers a follower out of the
    /// ISR without records while the rate is exceeded, and its fetch does not wait for appends.</param>
    public static async Task<IReadOnlyList<ReplicaFetchResponse>> FetchAsync(
        IReadOnlyList<PartitionFetch> fetches, TimeSpan maxWait, int responseMaxBytes, CancellationToken cancellationToken, ReplicationQuota? quota = null)
    {
        var (answers, heldBack) = Answer(fetches, responseMaxBytes, quota);
        if (maxWait <= TimeSpan.Zero || answers.Any(HasNews))
        {
            return answers;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(maxWait);
        var appends = fetches
            .Where((f, i) => f.Leader is not null && !heldBack[i])
            .Select(f => f.Leader!.WaitForAppendAsync(f.Request.FetchOffset, wait.Token))
            .DefaultIfEmpty(Task.Delay(Timeout.Infinite, wait.Token))
            .ToList();
        try
        {
            await Task.WhenAny(appends).Unwrap().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return answers;
        }
        finally
        {
            await wait.CancelAsync().ConfigureAwait(false);
        }

        return Answer(fetches, responseMaxBytes, quota).Answers;
    }

    private static (List<ReplicaFetchResponse> Answers, bool[] HeldBack) Answer(IReadOnlyList<PartitionFetch> fetches, int responseMaxBytes, ReplicationQuota? quota)
    {
        var answers = new List<ReplicaFetchResponse>(fetches.Count);
        var heldBack = new bool[fetches.Count];
        var budget = responseMaxBytes;
        var first = true;
        for (var i = 0; i < fetches.Count; i++)
        {
            var (leader, request) = fetches[i];
            if (leader is null)
            {
                answers.Add(new ReplicaFetchResponse(ErrorCode.NotLeaderOrFollower, ReadOnlyMemory<byte>.Empty, -1, -1, -1));
                continue;
            }

            // Kafka's shouldLeaderThrottle: an in-sync follower is never held back, or the high watermark would stall,
            // but what it is sent counts towards the rate, as all of a throttled replica's traffic does.
            var throttled = quota is not null && leader.ReplicationThrottled;
            heldBack[i] = throttled && !leader.IsInSync(request.ReplicaId) && quota!.IsExceeded();
            var maxBytes = heldBack[i] ? 0 : Math.Max(0, Math.Min(request.MaxBytes, budget));
            var answer = leader.Fetch(request with { MaxBytes = maxBytes }, minOneMessage: first && !heldBack[i]);
            if (throttled)
            {
                quota!.Record(answer.Records.Length);
            }

            budget -= answer.Records.Length;
            first &= answer.Records.IsEmpty;
            answers.Add(answer);
        }

        return (answers, heldBack);
    }

    private static bool HasNews(ReplicaFetchResponse answer) =>
        answer.Error != ErrorCode.None || answer.Diverging is not null || !answer.Records.IsEmpty;
}

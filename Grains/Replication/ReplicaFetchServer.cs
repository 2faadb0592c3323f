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
    public static async Task<IReadOnlyList<ReplicaFetchResponse>> FetchAsync(
        IReadOnlyList<PartitionFetch> fetches, TimeSpan maxWait, int responseMaxBytes, CancellationToken cancellationToken)
    {
        var answers = Answer(fetches, responseMaxBytes);
        if (maxWait <= TimeSpan.Zero || answers.Any(HasNews))
        {
            return answers;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(maxWait);
        var appends = fetches.Where(f => f.Leader is not null).Select(f => f.Leader!.WaitForAppendAsync(f.Request.FetchOffset, wait.Token)).ToList();
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

        return Answer(fetches, responseMaxBytes);
    }

    private static List<ReplicaFetchResponse> Answer(IReadOnlyList<PartitionFetch> fetches, int responseMaxBytes)
    {
        var answers = new List<ReplicaFetchResponse>(fetches.Count);
        var budget = responseMaxBytes;
        var first = true;
        foreach (var (leader, request) in fetches)
        {
            if (leader is null)
            {
                answers.Add(new ReplicaFetchResponse(ErrorCode.NotLeaderOrFollower, ReadOnlyMemory<byte>.Empty, -1, -1, -1));
                continue;
            }

            var answer = leader.Fetch(request with { MaxBytes = Math.Max(0, Math.Min(request.MaxBytes, budget)) }, minOneMessage: first);
            budget -= answer.Records.Length;
            first &= answer.Records.IsEmpty;
            answers.Add(answer);
        }

        return answers;
    }

    private static bool HasNews(ReplicaFetchResponse answer) =>
        answer.Error != ErrorCode.None || answer.Diverging is not null || !answer.Records.IsEmpty;
}

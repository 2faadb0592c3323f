using Tributary.Grains.Interfaces.Groups;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.RestConsumers;

using Tributary.Grains.KafkaFormats.Groups;

namespace Tributary.Grains.Actors.RestProxy;

/// <summary>
/// The group membership's loop: it does each <see cref="MembershipStep"/> the engine asks for (a grain call or a wait)
/// and hands the answer back, in the background, beside requests, until it is cancelled.
/// </summary>
public sealed partial class RestConsumerGrain
{
    private readonly SemaphoreSlim _membershipChanges = new(1, 1);
    private CancellationTokenSource? _membership;
    private Task? _membershipLoop;

    /// <summary>
    /// Stops the membership that runs (its loop ends, then it leaves the group) and, if <paramref name="start"/>, starts
    /// one for the subscription as it is now. One change at a time, so that a stop never ends the membership a later
    /// subscription started.
    /// </summary>
    private async Task RestartMembershipAsync(bool start)
    {
        await _membershipChanges.WaitAsync();
        try
        {
            await StopMembershipAsync();
            if (start && _consumer.IsSubscribed)
            {
                _membership = new CancellationTokenSource();
                _membershipLoop = RunMembershipAsync(_consumer.StartMembership(), _membership.Token);
            }
        }
        finally
        {
            _membershipChanges.Release();
        }
    }

    private async Task StopMembershipAsync()
    {
        if (_membership is not { } membership)
        {
            return;
        }

        _membership = null;
        await membership.CancelAsync();
        try
        {
            await _membershipLoop!;
        }
        catch (OperationCanceledException)
        {
        }

        membership.Dispose();
        if (_consumer.StopMembership() is { } leaving)
        {
            await GroupGrain.LeaveAsync([new GroupMemberIdentity(leaving, null)]);
        }
    }

    private async Task RunMembershipAsync(MembershipStep? step, CancellationToken cancellation)
    {
        while (step is not null && !cancellation.IsCancellationRequested)
        {
            step = step switch
            {
                MembershipStep.ListTopics list => _consumer.TopicsListed(list, await GrainFactory.GetGrain<ITopicCatalogGrain>(0).ListAsync()),
                MembershipStep.Join join => _consumer.Joined(join, await GroupGrain.JoinAsync(join.Request, cancellation)),
                MembershipStep.DescribeTopics describe => _consumer.Described(describe, await PartitionCountsAsync(describe.Topics)),
                MembershipStep.Sync sync => _consumer.Synced(sync, await GroupGrain.SyncAsync(sync.Request, cancellation)),
                MembershipStep.Wait wait => await WaitAsync(wait, cancellation),
                MembershipStep.Heartbeat beat => _consumer.HeartbeatAnswered(beat, await GroupGrain.HeartbeatAsync(beat.MemberId, null, beat.GenerationId)),
                MembershipStep.Commit commit => await CommitForRebalanceAsync(commit),
                _ => throw new InvalidOperationException($"Unknown membership step {step}."),
            };
        }
    }

    private async Task<MembershipStep?> WaitAsync(MembershipStep.Wait wait, CancellationToken cancellation)
    {
        await Task.Delay(wait.Delay, time, cancellation);
        return _consumer.Waited(wait);
    }

    private async Task<MembershipStep?> CommitForRebalanceAsync(MembershipStep.Commit commit)
    {
        await SendCommitAsync(commit.Request);
        return _consumer.RebalanceCommitted(commit);
    }

    private async Task<Dictionary<string, int>> PartitionCountsAsync(IReadOnlyList<string> topics)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            if (await GrainFactory.GetGrain<ITopicGrain>(topic).DescribeAsync() is { } description)
            {
                counts[topic] = description.PartitionCount;
            }
        }

        return counts;
    }

}

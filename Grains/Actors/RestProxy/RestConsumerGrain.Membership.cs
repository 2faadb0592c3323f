using System.Text.RegularExpressions;
using Tributary.Grains.KafkaFormats.Messages;
using Tributary.Grains.Interfaces.Groups;
using Tributary.Grains.Interfaces.RestProxy;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Grains.Actors.RestProxy;

/// <summary>
/// Group membership, as a Kafka consumer does it: join (with the member id the coordinator asks for), the leader
/// assigns with the range assignor (what every Kafka client offers, so native consumers in the same group agree on
/// it), sync, then heartbeat until the group rebalances and join again. It runs in the background, beside requests.
/// </summary>
public sealed partial class RestConsumerGrain
{
    private const string Protocol = "range";

    private CancellationTokenSource? _membership;
    private Task? _membershipLoop;
    private string _memberId = "";
    private int _generation = -1;
    private List<string> _subscribedTopics = [];

    private IConsumerGroupGrain GroupGrain => GrainFactory.GetGrain<IConsumerGroupGrain>(Group);

    private void StartMembership()
    {
        _membership = new CancellationTokenSource();
        _membershipLoop = RunMembershipAsync(_membership.Token);
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
        if (_memberId.Length > 0)
        {
            await GroupGrain.LeaveAsync([new GroupMemberIdentity(_memberId, null)]);
        }

        _memberId = "";
        _generation = -1;
        SetAssignment([]);
    }

    private async Task RunMembershipAsync(CancellationToken cancellation)
    {
        var retry = TimeSpan.FromMilliseconds(500);
        while (!cancellation.IsCancellationRequested)
        {
            _subscribedTopics = await ResolveTopicsAsync();
            var joined = await GroupGrain.JoinAsync(new GroupJoinRequest(
                _memberId, null, "tributary-rest-proxy", "rest-proxy",
                (int)Settings.ConsumerSessionTimeout.TotalMilliseconds, (int)Settings.ConsumerSessionTimeout.TotalMilliseconds,
                "consumer", [new GroupProtocolData(Protocol, ConsumerProtocol.EncodeSubscription(_subscribedTopics))],
                RequireKnownMemberId: true, SupportsSkipAssignment: false));
            if (cancellation.IsCancellationRequested)
            {
                _memberId = joined.MemberId.Length > 0 ? joined.MemberId : _memberId;
                return;
            }

            switch (joined.Error)
            {
                case ErrorCode.MemberIdRequired:
                    _memberId = joined.MemberId;
                    continue;
                case ErrorCode.UnknownMemberId:
                    _memberId = "";
                    continue;
                case not ErrorCode.None:
                    await Task.Delay(retry, cancellation);
                    continue;
            }

            _memberId = joined.MemberId;
            _generation = joined.GenerationId;
            var assignments = joined.Leader == joined.MemberId ? await AssignRangeAsync(joined.Members) : new Dictionary<string, byte[]>();
            var synced = await GroupGrain.SyncAsync(new GroupSyncRequest(_memberId, null, _generation, "consumer", joined.ProtocolName, assignments));
            if (synced.Error != ErrorCode.None)
            {
                continue;
            }

            SetAssignment(ConsumerProtocol.DecodeAssignment(synced.Assignment).Select(a => new RestTopicPartition(a.Topic, a.Partition)).ToList());
            await HeartbeatUntilRebalanceAsync(cancellation);
        }
    }

    private async Task HeartbeatUntilRebalanceAsync(CancellationToken cancellation)
    {
        var beats = 0;
        while (!cancellation.IsCancellationRequested)
        {
            await Task.Delay(Settings.ConsumerHeartbeatInterval, cancellation);
            var error = await GroupGrain.HeartbeatAsync(_memberId, null, _generation);
            if (error == ErrorCode.None)
            {
                // A pattern takes in topics created since the last join: a change of topics is a new join.
                if (_pattern is not null && ++beats % 5 == 0 && !(await ResolveTopicsAsync()).SequenceEqual(_subscribedTopics))
                {
                    return;
                }

                continue;
            }

            if (_config?.AutoCommit == true && error == ErrorCode.RebalanceInProgress)
            {
                await CommitAsync(null);
            }

            if (error is ErrorCode.UnknownMemberId)
            {
                _memberId = "";
            }

            return;
        }
    }

    private async Task<List<string>> ResolveTopicsAsync()
    {
        if (_pattern is null)
        {
            return (_topics ?? []).Order(StringComparer.Ordinal).ToList();
        }

        var pattern = new Regex($"^(?:{_pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return (await GrainFactory.GetGrain<ITopicCatalogGrain>(0).ListAsync()).Where(t => pattern.IsMatch(t)).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Kafka's RangeAssignor: per topic, its subscribers in member-id order take consecutive ranges, the first ones one more.</summary>
    private async Task<Dictionary<string, byte[]>> AssignRangeAsync(IReadOnlyList<GroupJoinedMember> members)
    {
        var subscriptions = members.ToDictionary(m => m.MemberId, m => ConsumerProtocol.DecodeSubscriptionTopics(m.Metadata).ToHashSet(StringComparer.Ordinal));
        var assigned = members.ToDictionary(m => m.MemberId, _ => new List<RestTopicPartition>());
        foreach (var topic in subscriptions.Values.SelectMany(t => t).Distinct().Order(StringComparer.Ordinal))
        {
            if (await GrainFactory.GetGrain<ITopicGrain>(topic).DescribeAsync() is not { } description)
            {
                continue;
            }

            var subscribers = subscriptions.Where(s => s.Value.Contains(topic)).Select(s => s.Key).Order(StringComparer.Ordinal).ToList();
            var each = description.PartitionCount / subscribers.Count;
            var extra = description.PartitionCount % subscribers.Count;
            for (var i = 0; i < subscribers.Count; i++)
            {
                var start = i * each + Math.Min(i, extra);
                var count = each + (i < extra ? 1 : 0);
                assigned[subscribers[i]].AddRange(Enumerable.Range(start, count).Select(p => new RestTopicPartition(topic, p)));
            }
        }

        return assigned.ToDictionary(a => a.Key, a => ConsumerProtocol.EncodeAssignment(a.Value.Select(p => (p.Topic, p.Partition))));
    }
}

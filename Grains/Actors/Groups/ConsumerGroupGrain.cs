using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Interfaces.Brokers;
using Tributary.Grains.Interfaces.Groups;

using Tributary.Grains.Groups;
using Tributary.Grains.KafkaFormats.Groups;

using Tributary.Grains.Actors.Persistence;

namespace Tributary.Grains.Actors.Groups;

/// <summary>
/// A thin adapter from grain calls to one <see cref="ClassicGroup"/> and its <see cref="GroupOffsets"/>. Reentrant, so
/// that JoinGroup and SyncGroup calls can wait for the rebalance while heartbeats, commits and other members' joins go
/// on; every change to the group happens inside one turn. Deadlines (sessions, rebalance and sync timeouts) are applied
/// on a timer and before every request, so that an expired session is gone for whoever asks next, however late the
/// timer runs. Membership is stored when the group becomes Stable or Empty, offsets before a commit is answered, so
/// both survive a kill -9 of the silo. Once stored, each change is appended to the group's partition of
/// <c>__consumer_offsets</c> as Kafka's records (<see cref="OffsetsTopicAppender"/>), in the order of the changes.
/// </summary>
[Reentrant]
public sealed partial class ConsumerGroupGrain(
    [PersistentState("membership", GrainStorageNames.ControlPlane)] IPersistentState<GroupMembershipState> membership,
    [PersistentState("offsets", GrainStorageNames.ControlPlane)] IPersistentState<GroupOffsetsState> offsets,
    IOptions<TributaryOptions> options,
    IBrokerConfigs brokerConfigs,
    TimeProvider time,
    Metrics.GroupCoordinatorMetrics metrics,
    ILogger<ConsumerGroupGrain> logger) : Grain, IConsumerGroupGrain
{
    /// <summary>How long a deleted group waits for its tombstones to reach __consumer_offsets before it deactivates.</summary>
    private static readonly TimeSpan TombstoneWait = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _writes = new(1, 1);
    private ClassicGroup _group = null!;
    private GroupOffsets _offsets = null!;
    private OffsetsTopicAppender _topic = null!;
    private bool _membershipChanged;
    private bool _offsetsChanged;
    private string? _listedState;
    private int _countedRebalances;

    private string GroupId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Groups;
        _group = new ClassicGroup(GroupId, settings.ToGroupOptions(), time);
        _offsets = new GroupOffsets(settings.ToGroupOptions());
        _topic = new OffsetsTopicAppender(GroupId, GrainFactory, brokerConfigs, time, logger);
        if (membership.RecordExists)
        {
            _group.Restore(membership.State.ToSnapshot());
        }

        _offsets.Load(offsets.State.Offsets.Select(o => new KeyValuePair<TopicPartition, CommittedOffset>(ToPartition(o), ToOffset(o))));
        foreach (var pending in offsets.State.Pending)
        {
            _offsets.LoadPending(pending.ProducerId, ToPartition(pending.Offset), ToOffset(pending.Offset));
        }

        QueueRestatement();
        _topic.MarkDurable(_topic.Queued);

        // A group idle long enough to have been deactivated may have outlived its offsets' retention meanwhile.
        ExpireOffsets();
        _listedState = membership.RecordExists || offsets.RecordExists ? _group.State.ToString() : null;
        _group.Changed += () => _membershipChanged = true;
        this.RegisterGrainTimer(static (grain, _) => grain.TickAsync(), this, settings.TickInterval, settings.TickInterval);
        return Task.CompletedTask;
    }

    public async Task<GroupJoinResult> JoinAsync(GroupJoinRequest request, CancellationToken cancellationToken)
    {
        _group.Tick();
        var joining = _group.JoinAsync(request);
        await SaveAsync();

        // A caller that stops waiting (its client went away) leaves the member in the rebalance, as Kafka's
        // coordinator keeps a join whose connection closed: the rebalance goes on without waiting here.
        return await joining.WaitAsync(cancellationToken);
    }

    public async Task<GroupSyncResult> SyncAsync(GroupSyncRequest request, CancellationToken cancellationToken)
    {
        _group.Tick();
        var syncing = _group.SyncAsync(request);
        await SaveAsync();
        return await syncing.WaitAsync(cancellationToken);
    }

    public Task<ErrorCode> HeartbeatAsync(string memberId, string? groupInstanceId, int generationId)
    {
        _group.Tick();
        return Task.FromResult(_group.Heartbeat(memberId, groupInstanceId, generationId));
    }

    public async Task<IReadOnlyList<ErrorCode>> LeaveAsync(IReadOnlyList<GroupMemberIdentity> members)
    {
        _group.Tick();
        var results = _group.Leave(members);
        await SaveAsync();
        return results;
    }

    public async Task<IReadOnlyList<ErrorCode>> CommitOffsetsAsync(OffsetCommitRequestData request)
    {
        _group.Tick();
        var error = _group.ValidateCommit(request.MemberId, request.GroupInstanceId, request.GenerationId);
        if (error != ErrorCode.None)
        {
            return request.Offsets.Select(_ => error).ToList();
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var commits = request.Offsets
            .Select(o => (Partition: new TopicPartition(o.Topic, o.Partition), Offset: new CommittedOffset(o.Offset, o.LeaderEpoch, o.Metadata, now)))
            .ToList();
        var results = _offsets.Commit(commits);
        var committed = 0;
        for (var i = 0; i < commits.Count; i++)
        {
            if (results[i] == ErrorCode.None)
            {
                QueueCommit(commits[i].Partition, commits[i].Offset);
                committed++;
            }
        }

        _offsetsChanged = true;
        await SaveAsync();
        metrics.OffsetsCommitted(committed);
        return results;
    }

    public async Task<IReadOnlyList<ErrorCode>> TxnCommitOffsetsAsync(long producerId, short producerEpoch, OffsetCommitRequestData request)
    {
        // A commit that names a member is checked against the group, as OffsetCommit is; one without (generation -1) is
        // not. Unlike OffsetCommit, it does not keep the member's session alive (nor does Kafka's).
        _group.Tick();
        var error = request.GenerationId < 0 && request.MemberId.Length == 0
            ? ErrorCode.None
            : _group.ValidateCommit(request.MemberId, request.GroupInstanceId, request.GenerationId, transactional: true);
        if (error != ErrorCode.None)
        {
            return request.Offsets.Select(_ => error).ToList();
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var results = _offsets.CommitTransactional(producerId, request.Offsets
            .Select(o => (new TopicPartition(o.Topic, o.Partition), new CommittedOffset(o.Offset, o.LeaderEpoch, o.Metadata, now)))
            .ToList());
        _offsetsChanged = true;
        await SaveAsync();

        // Stored as pending, counted as Kafka's storeOffsets counts a TxnOffsetCommit.
        metrics.OffsetsCommitted(results.Count(r => r == ErrorCode.None));
        return results;
    }

    public async Task CompleteTransactionAsync(long producerId, bool commit)
    {
        // Only a committed transaction's offsets reach the topic, as committed offsets: a reader sees what OffsetFetch sees.
        var committed = commit && _offsets.Pending.TryGetValue(producerId, out var pending) ? pending.ToList() : [];
        _offsetsChanged |= _offsets.CompleteTransaction(producerId, commit);
        foreach (var (partition, offset) in committed)
        {
            QueueCommit(partition, offset);
        }

        await SaveAsync();
    }

    public Task<IReadOnlyList<CommittedOffsetData>> FetchOffsetsAsync(IReadOnlyList<GroupTopicPartition>? partitions)
    {
        var asked = partitions?.Select(p => new TopicPartition(p.Topic, p.Partition))
            ?? _offsets.All.Keys.Concat(_offsets.Pending.Values.SelectMany(p => p.Keys)).Distinct();
        IReadOnlyList<CommittedOffsetData> result = asked.Select(p => _offsets.Get(p) is { } o
                ? new CommittedOffsetData(p.Topic, p.Partition, o.Offset, o.LeaderEpoch, o.Metadata, _offsets.HasPending(p))
                : new CommittedOffsetData(p.Topic, p.Partition, -1, -1, "", _offsets.HasPending(p)))
            .Where(o => partitions is not null || o.Offset >= 0 || o.PendingTransaction)
            .ToList();
        return Task.FromResult(result);
    }

    public Task<GroupDescription> DescribeAsync()
    {
        _group.Tick();
        return Task.FromResult(Exists
            ? new GroupDescription(
                _group.State.ToString(),
                _group.ProtocolType ?? "",
                _group.ProtocolName ?? "",
                _group.DescribeMembers())
            : new GroupDescription(nameof(GroupState.Dead), "", "", []));
    }

    public async Task<ErrorCode> DeleteAsync()
    {
        _group.Tick();
        if (!Exists)
        {
            return ErrorCode.GroupIdNotFound;
        }

        var error = _group.Delete();
        if (error != ErrorCode.None)
        {
            return error;
        }

        foreach (var partition in _offsets.All.Keys)
        {
            QueueOffsetTombstone(partition);
        }

        QueueGroupTombstone();
        _offsets.Clear();
        await _writes.WaitAsync();
        try
        {
            var mark = _topic.Queued;
            await membership.ClearStateAsync();
            await offsets.ClearStateAsync();
            _membershipChanged = _offsetsChanged = false;
            _topic.MarkDurable(mark);
        }
        finally
        {
            _writes.Release();
        }

        await GrainFactory.GetGrain<IGroupCatalogGrain>(0).RemoveAsync(GroupId);
        _listedState = null;

        // The tombstones go before the activation does. Ones the topic has not taken within the wait are lost with it
        // (their failure logged), and readers of the topic keep the deleted group's last records.
        try
        {
            await _topic.Flushing.WaitAsync(TombstoneWait);
        }
        catch (TimeoutException)
        {
        }

        DeactivateOnIdle();
        return ErrorCode.None;
    }

    public async Task<(ErrorCode Group, IReadOnlyList<ErrorCode> Partitions)> DeleteOffsetsAsync(IReadOnlyList<GroupTopicPartition> partitions)
    {
        _group.Tick();
        if (!Exists)
        {
            return (ErrorCode.GroupIdNotFound, []);
        }

        var subscribed = _group.SubscribedTopics();
        var results = partitions.Select(p =>
        {
            if (subscribed.Contains(p.Topic))
            {
                return ErrorCode.GroupSubscribedToTopic;
            }

            var partition = new TopicPartition(p.Topic, p.Partition);
            if (_offsets.Remove(partition))
            {
                _offsetsChanged = true;
                QueueOffsetTombstone(partition);
            }

            return ErrorCode.None;
        }).ToList();
        await SaveAsync();
        return (ErrorCode.None, results);
    }

    /// <summary>A group exists once it has had a member or an offset; before that, it is Dead to DescribeGroups.</summary>
    private bool Exists => _group.MemberCount > 0 || _offsets.Count > 0 || _group.Generation > 0;

    private async Task TickAsync()
    {
        _group.Tick();
        ExpireOffsets();
        _topic.Flush();
        await SaveAsync();
    }

    /// <summary>
    /// Stores what changed, one write at a time, then lets the records of the changes stored (those queued before the
    /// mark) go to <c>__consumer_offsets</c> in the background, and keeps the group's listing current.
    /// </summary>
    private async Task SaveAsync()
    {
        if (_group.CompletedRebalances > _countedRebalances)
        {
            metrics.RebalancesCompleted(_group.CompletedRebalances - _countedRebalances);
            _countedRebalances = _group.CompletedRebalances;
        }

        if (_membershipChanged || _offsetsChanged)
        {
            await _writes.WaitAsync();
            try
            {
                var snapshot = _membershipChanged ? _group.Snapshot() : null;
                if (snapshot is not null)
                {
                    QueueGroupMetadata(snapshot);
                }

                var mark = _topic.Queued;
                if (snapshot is not null)
                {
                    _membershipChanged = false;
                    membership.State = GroupMembershipState.From(snapshot);
                    await membership.WriteStateAsync();
                }

                if (_offsetsChanged)
                {
                    _offsetsChanged = false;
                    offsets.State = new GroupOffsetsState
                    {
                        Offsets = _offsets.All.Select(o => ToStored(o.Key, o.Value)).ToList(),
                        Pending = _offsets.Pending
                            .SelectMany(p => p.Value.Select(o => new StoredPendingOffset(p.Key, ToStored(o.Key, o.Value))))
                            .ToList(),
                    };
                    await offsets.WriteStateAsync();
                }

                _topic.MarkDurable(mark);
            }
            finally
            {
                _writes.Release();
            }
        }

        // A deleted group is Dead until its activation goes: it is taken off the list, never listed as Dead, even by a
        // save that interleaves with the deletion's own writes.
        var state = Exists && _group.State != GroupState.Dead ? _group.State.ToString() : null;
        if (state != _listedState)
        {
            _listedState = state;
            try
            {
                var catalog = GrainFactory.GetGrain<IGroupCatalogGrain>(0);
                await (state is null ? catalog.RemoveAsync(GroupId) : catalog.UpdateAsync(GroupId, _group.ProtocolType, state));
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                _listedState = null;
                LogCatalogUpdateFailed(logger, GroupId, e.Message);
            }
        }
    }

    private static TopicPartition ToPartition(StoredOffset stored) => new(stored.Topic, stored.Partition);

    private static CommittedOffset ToOffset(StoredOffset stored) => new(stored.Offset, stored.LeaderEpoch, stored.Metadata, stored.CommitTimestampMs);

    private static StoredOffset ToStored(TopicPartition partition, CommittedOffset offset) =>
        new(partition.Topic, partition.Partition, offset.Offset, offset.LeaderEpoch, offset.Metadata, offset.CommitTimestampMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Group {GroupId}: listing update failed ({Reason}); retried on the next change")]
    private static partial void LogCatalogUpdateFailed(ILogger logger, string groupId, string reason);
}

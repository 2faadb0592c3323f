using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Tributary.Grains.Streams.Runtime.Group;

/// <summary>The leader's part of a rebalance: from the protocol the group chose and every member's metadata, each member's assignment.</summary>
internal delegate IReadOnlyDictionary<string, byte[]> LeaderAssignment(string protocol, IReadOnlyList<JoinedMember> members);

/// <summary>A generation this member is in: its id, the member's id, the chosen protocol, whether it leads, and its assignment.</summary>
internal sealed record GroupGeneration(int GenerationId, string MemberId, string Protocol, bool IsLeader, byte[] Assignment);

/// <summary>
/// A member of a classic consumer group that runs the group protocol itself, as Kafka's Java consumer does, so that
/// the leader's assignment can be any code (librdkafka takes no custom assignor): it finds the coordinator, joins
/// (asking for a member id first, KIP-394; static with <c>group.instance.id</c>, KIP-345), and as leader assigns
/// through a <see cref="LeaderAssignment"/>, syncs, then heartbeats in the background every
/// <c>heartbeat.interval.ms</c>. A heartbeat answered REBALANCE_IN_PROGRESS sets <see cref="RejoinNeeded"/>: the
/// owner finishes what it does and calls <see cref="JoinAsync"/> again (the partitions it keeps are still its own
/// until then). A heartbeat answered ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID or FENCED_INSTANCE_ID, or no heartbeat
/// answered for <c>session.timeout.ms</c>, sets <see cref="Lost"/> as well: the coordinator has put the member out,
/// its partitions may be someone else's already, and its commits are refused. FENCED_INSTANCE_ID (another process
/// with the same <c>group.instance.id</c>) is final, as for Kafka's consumers: the next join throws it. Offsets are
/// committed with the member's generation, which the coordinator checks. The coordinator connection is found again
/// after it breaks or moves (NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE). Thread-safe; calls of the owner come one at
/// a time.
/// </summary>
internal sealed class GroupMember(GroupMemberSettings settings, ILogger logger) : IAsyncDisposable
{
    private const string ProtocolType = "consumer";

    private readonly SemaphoreSlim _coordinatorLock = new(1, 1);
    private BrokerConnection? _coordinator;
    private string _memberId = "";
    private volatile GroupGeneration? _generation;
    private volatile bool _rejoinNeeded;
    private volatile bool _lost;
    private volatile bool _fenced;
    private CancellationTokenSource? _heartbeats;
    private Task _heartbeatLoop = Task.CompletedTask;

    /// <summary>The member's static id (<c>group.instance.id</c>), or null.</summary>
    public string? GroupInstanceId => settings.GroupInstanceId;

    /// <summary>The generation the member is in, or null before it joins, while it rejoins and after it leaves.</summary>
    public GroupGeneration? Generation => _generation;

    /// <summary>Whether the group rebalances and the member must join again.</summary>
    public bool RejoinNeeded => _rejoinNeeded;

    /// <summary>Whether the coordinator has put the member out of its generation (its partitions are lost, not revoked).</summary>
    public bool Lost => _lost;

    /// <summary>
    /// Joins the group (again), offering <paramref name="protocols"/> in order of preference, and returns the new
    /// generation once it is synced. As leader, <paramref name="assign"/> gives every member its assignment.
    /// Retries through coordinator moves and concurrent rebalances until <paramref name="cancellation"/>.
    /// </summary>
    public async Task<GroupGeneration> JoinAsync(IReadOnlyList<(string Name, byte[] Metadata)> protocols, LeaderAssignment assign, CancellationToken cancellation)
    {
        await StopHeartbeatsAsync();
        _generation = null;
        if (_fenced)
        {
            // Another process took this static member's place: joining again would put that one out in turn.
            throw new KafkaException(new Error(ErrorCode.FencedInstanceId, $"Another member of group {settings.GroupId} has group.instance.id {settings.GroupInstanceId}"));
        }

        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            try
            {
                var coordinator = await CoordinatorAsync(cancellation);

                // The coordinator answers once every member has joined, within the rebalance timeout.
                using var joinWait = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                joinWait.CancelAfter(settings.RebalanceTimeout + TimeSpan.FromSeconds(5));
                var join = await GroupApis.JoinGroupAsync(
                    coordinator, settings.GroupId, settings.SessionTimeout, settings.RebalanceTimeout, _memberId, settings.GroupInstanceId, ProtocolType, protocols, joinWait.Token);
                if (join.Error == ErrorCode.MemberIdRequired)
                {
                    _memberId = join.MemberId;
                    continue;
                }

                if (join.Error == ErrorCode.UnknownMemberId)
                {
                    _memberId = "";
                    continue;
                }

                if (!await HandledAsync(join.Error, "JoinGroup", cancellation))
                {
                    continue;
                }

                _memberId = join.MemberId;
                var leader = join.Leader == join.MemberId;
                var protocol = join.ProtocolName ?? protocols[0].Name;
                var assignments = leader ? assign(protocol, join.Members) : new Dictionary<string, byte[]>();
                var (syncError, assignment) = await GroupApis.SyncGroupAsync(
                    coordinator, settings.GroupId, join.GenerationId, _memberId, settings.GroupInstanceId, assignments, cancellation);
                if (syncError == ErrorCode.UnknownMemberId)
                {
                    _memberId = "";
                    continue;
                }

                if (syncError == ErrorCode.IllegalGeneration || !await HandledAsync(syncError, "SyncGroup", cancellation))
                {
                    continue;
                }

                var generation = new GroupGeneration(join.GenerationId, _memberId, protocol, leader, assignment);
                _rejoinNeeded = false;
                _lost = false;
                _generation = generation;
                StartHeartbeats(generation);
                GroupMemberLog.Joined(logger, settings.ClientId, settings.GroupId, generation.GenerationId, _memberId, leader, protocol);
                return generation;
            }
            catch (Exception e) when (!cancellation.IsCancellationRequested && e is IOException or OperationCanceledException)
            {
                await ResetCoordinatorAsync(e.Message);
                await Task.Delay(settings.RetryBackoff, cancellation);
            }
        }
    }

    /// <summary>
    /// Whether a response's error lets the rebalance go on (none); false, after backing off, when it is worth trying
    /// again (the coordinator moved, loads, or the group rebalanced meanwhile); throws for any other.
    /// </summary>
    private async Task<bool> HandledAsync(ErrorCode error, string api, CancellationToken cancellation)
    {
        switch (error)
        {
            case ErrorCode.NoError:
                return true;
            case ErrorCode.NotCoordinatorForGroup or ErrorCode.GroupCoordinatorNotAvailable:
                await ResetCoordinatorAsync($"{api}: {error}");
                await Task.Delay(settings.RetryBackoff, cancellation);
                return false;
            case ErrorCode.GroupLoadInProgress or ErrorCode.RebalanceInProgress:
                await Task.Delay(settings.RetryBackoff, cancellation);
                return false;
            default:
                throw new KafkaException(new Error(error, $"{api} of group {settings.GroupId} failed: {error}"));
        }
    }

    /// <summary>
    /// Commits offsets in the member's generation. Throws <see cref="KafkaException"/> when the coordinator refuses
    /// them: REBALANCE_IN_PROGRESS (<see cref="RejoinNeeded"/> is then set; they may be committed after rejoining), or
    /// ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID / FENCED_INSTANCE_ID (<see cref="Lost"/>: they must not be).
    /// </summary>
    public async Task CommitAsync(IReadOnlyCollection<TopicPartitionOffset> offsets, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            var generation = _generation ?? throw new KafkaException(new Error(ErrorCode.RebalanceInProgress, $"Member of group {settings.GroupId} is not in a generation"));
            ErrorCode error;
            try
            {
                var coordinator = await CoordinatorAsync(cancellation);
                var errors = await GroupApis.OffsetCommitAsync(
                    coordinator, settings.GroupId, generation.GenerationId, generation.MemberId, settings.GroupInstanceId, offsets, cancellation);
                error = errors.Values.FirstOrDefault(e => e != ErrorCode.NoError);
            }
            catch (IOException) when (attempt < 5)
            {
                await ResetCoordinatorAsync("OffsetCommit: the connection broke");
                await Task.Delay(settings.RetryBackoff, cancellation);
                continue;
            }

            switch (error)
            {
                case ErrorCode.NoError:
                    return;
                case ErrorCode.NotCoordinatorForGroup or ErrorCode.GroupCoordinatorNotAvailable or ErrorCode.GroupLoadInProgress when attempt < 5:
                    await ResetCoordinatorAsync($"OffsetCommit: {error}");
                    await Task.Delay(settings.RetryBackoff, cancellation);
                    continue;
                case ErrorCode.RebalanceInProgress:
                    _rejoinNeeded = true;
                    break;
                case ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId or ErrorCode.FencedInstanceId:
                    _fenced |= error == ErrorCode.FencedInstanceId;
                    _rejoinNeeded = true;
                    _lost = true;
                    break;
            }

            throw new KafkaException(new Error(error, $"Group {settings.GroupId} refused the offsets of generation {generation.GenerationId}: {error}"));
        }
    }

    /// <summary>The group's committed offsets of <paramref name="partitions"/> (<see cref="Offset.Unset"/> where none is).</summary>
    public async Task<IReadOnlyList<TopicPartitionOffset>> CommittedAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await GroupApis.OffsetFetchAsync(await CoordinatorAsync(cancellation), settings.GroupId, partitions, cancellation);
            }
            catch (Exception e) when (attempt < 5 && (e is IOException || e is KafkaException { Error.Code: ErrorCode.NotCoordinatorForGroup or ErrorCode.GroupCoordinatorNotAvailable or ErrorCode.GroupLoadInProgress }))
            {
                await ResetCoordinatorAsync($"OffsetFetch: {e.Message}");
                await Task.Delay(settings.RetryBackoff, cancellation);
            }
        }
    }

    /// <summary>
    /// Leaves the group, so that it rebalances at once. A static member (<c>group.instance.id</c>) does not: its
    /// place waits for it for <c>session.timeout.ms</c>, as Kafka's consumers leave it.
    /// </summary>
    public async Task LeaveAsync(CancellationToken cancellation)
    {
        await StopHeartbeatsAsync();
        _generation = null;
        if (settings.GroupInstanceId is not null || _memberId.Length == 0)
        {
            return;
        }

        try
        {
            await GroupApis.LeaveGroupAsync(await CoordinatorAsync(cancellation), settings.GroupId, _memberId, null, cancellation);
        }
        catch (IOException e)
        {
            // The coordinator removes it after session.timeout.ms.
            GroupMemberLog.CoordinatorLost(logger, settings.ClientId, settings.GroupId, $"leaving: {e.Message}");
        }

        _memberId = "";
    }

    private void StartHeartbeats(GroupGeneration generation)
    {
        _heartbeats = new CancellationTokenSource();
        _heartbeatLoop = HeartbeatLoopAsync(generation, _heartbeats.Token);
    }

    private async Task StopHeartbeatsAsync()
    {
        if (_heartbeats is { } heartbeats)
        {
            _heartbeats = null;
            await heartbeats.CancelAsync();
            await _heartbeatLoop;
            heartbeats.Dispose();
        }
    }

    private async Task HeartbeatLoopAsync(GroupGeneration generation, CancellationToken stop)
    {
        var lastAnswered = Stopwatch.GetTimestamp();
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(settings.HeartbeatInterval, stop);
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop);
                wait.CancelAfter(settings.SessionTimeout);
                var error = await GroupApis.HeartbeatAsync(
                    await CoordinatorAsync(wait.Token), settings.GroupId, generation.GenerationId, generation.MemberId, settings.GroupInstanceId, wait.Token);
                lastAnswered = Stopwatch.GetTimestamp();
                switch (error)
                {
                    case ErrorCode.NoError:
                        break;
                    case ErrorCode.RebalanceInProgress:
                        // Heartbeats go on until the owner rejoins: the coordinator keeps the member meanwhile.
                        if (!_rejoinNeeded)
                        {
                            _rejoinNeeded = true;
                            GroupMemberLog.RejoinNeeded(logger, settings.ClientId, settings.GroupId, "the group rebalances");
                        }

                        break;
                    case ErrorCode.IllegalGeneration or ErrorCode.UnknownMemberId or ErrorCode.FencedInstanceId:
                        _fenced = error == ErrorCode.FencedInstanceId;
                        _lost = true;
                        _rejoinNeeded = true;
                        GroupMemberLog.RejoinNeeded(logger, settings.ClientId, settings.GroupId, $"the coordinator put it out of generation {generation.GenerationId} ({error})");
                        return;
                    default:
                        await ResetCoordinatorAsync($"Heartbeat: {error}");
                        break;
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or KafkaException)
            {
                await ResetCoordinatorAsync($"Heartbeat: {e.Message}");
                if (Stopwatch.GetElapsedTime(lastAnswered) >= settings.SessionTimeout)
                {
                    // The coordinator has given the member up by now, as Kafka's consumers assume.
                    _lost = true;
                    _rejoinNeeded = true;
                    GroupMemberLog.RejoinNeeded(logger, settings.ClientId, settings.GroupId, "no heartbeat was answered within session.timeout.ms");
                    return;
                }
            }
        }
    }

    private async Task<BrokerConnection> CoordinatorAsync(CancellationToken cancellation)
    {
        if (_coordinator is { IsBroken: false } known)
        {
            return known;
        }

        await _coordinatorLock.WaitAsync(cancellation);
        try
        {
            if (_coordinator is { IsBroken: false } found)
            {
                return found;
            }

            if (_coordinator is { } broken)
            {
                _coordinator = null;
                await broken.DisposeAsync();
            }

            Exception? last = null;
            foreach (var (host, port) in settings.BootstrapServers)
            {
                try
                {
                    await using var bootstrap = await BrokerConnection.ConnectAsync(host, port, settings.Security, settings.ClientId, cancellation);
                    var coordinator = await GroupApis.FindCoordinatorAsync(bootstrap, settings.GroupId, cancellation);
                    if (coordinator.Error is ErrorCode.GroupAuthorizationFailed or ErrorCode.TopicAuthorizationFailed or ErrorCode.ClusterAuthorizationFailed)
                    {
                        throw new KafkaException(new Error(coordinator.Error, $"Not allowed to find the coordinator of group {settings.GroupId}: {coordinator.Message}"));
                    }

                    if (coordinator.Error != ErrorCode.NoError)
                    {
                        last = new IOException($"No coordinator for group {settings.GroupId} yet: {coordinator.Error} {coordinator.Message}");
                        continue;
                    }

                    _coordinator = await BrokerConnection.ConnectAsync(coordinator.Host, coordinator.Port, settings.Security, settings.ClientId, cancellation);
                    return _coordinator;
                }
                catch (IOException e)
                {
                    last = e;
                }
            }

            throw new IOException($"Found no coordinator for group {settings.GroupId}: {last?.Message}", last);
        }
        finally
        {
            _coordinatorLock.Release();
        }
    }

    private async Task ResetCoordinatorAsync(string reason)
    {
        await _coordinatorLock.WaitAsync();
        try
        {
            if (_coordinator is { } coordinator)
            {
                _coordinator = null;
                GroupMemberLog.CoordinatorLost(logger, settings.ClientId, settings.GroupId, reason);
                await coordinator.DisposeAsync();
            }
        }
        finally
        {
            _coordinatorLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopHeartbeatsAsync();
        if (_coordinator is { } coordinator)
        {
            _coordinator = null;
            await coordinator.DisposeAsync();
        }

        _coordinatorLock.Dispose();
    }
}

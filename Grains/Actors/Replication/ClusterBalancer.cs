using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Actors.Placement;
using Tributary.Grains.Actors.Topics;
using Tributary.Grains.Interfaces.Brokers;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.Replication;

namespace Tributary.Grains.Actors.Replication;

/// <summary>
/// The cluster's own balancing (<c>Tributary:Cluster:AutoBalance</c>) and the retirement of brokers being drained
/// (Confluent's broker removal, whatever that setting), run by the acting controller (the live broker with the
/// smallest id) every <c>Tributary:Cluster:AutoBalanceInterval</c>, at once when a broker joins or leaves, and every
/// second while moves are under way (as Cruise Control's executor checks its moves' progress: a freed slot is filled
/// at once, not at the next check): while every partition is fully in sync
/// (no data is moved while a broker is away), the reassignments <see cref="ReplicaBalancer"/> plans are started, at
/// most <c>Tributary:Cluster:MaxConcurrentMoves</c> partitions moving at once; a partition it moved is elected back to
/// its preferred replica once that replica is in sync, so that leaderships spread as the replicas did.
/// </summary>
internal sealed partial class ClusterBalancer(
    LiveBrokers brokers,
    IGrainFactory grains,
    IOptions<TributaryOptions> options,
    ILogger<ClusterBalancer> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>The shortest check interval: a smaller setting would make the controller loop.</summary>
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(1);

    /// <summary>How often the controller looks again while moves are under way.</summary>
    private static readonly TimeSpan ProgressCheckInterval = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Partitions this controller moved whose preferred replica does not lead yet.</summary>
    private readonly HashSet<(string Topic, int Partition)> _moved = [];

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(ClusterBalancer), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(RunAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private Task StopAsync(CancellationToken cancellationToken) => _stopping.CancelAsync();

    private async Task RunAsync()
    {
        var settings = options.Value.Cluster;
        var interval = settings.AutoBalanceInterval < MinimumInterval ? MinimumInterval : settings.AutoBalanceInterval;
        var maxMoves = Math.Max(1, settings.MaxConcurrentMoves);
        var moving = false;
        var sinceCheck = TimeSpan.Zero;
        var lastLive = new HashSet<int>();
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(ProgressCheckInterval, _stopping.Token);
                sinceCheck += ProgressCheckInterval;
                var live = brokers.Active();

                // A broker that joined or left is looked at at once, not at the next check.
                var changed = !lastLive.SetEquals(live.Keys);
                if (!moving && !changed && sinceCheck < interval)
                {
                    continue;
                }

                (moving, sinceCheck, lastLive) = (false, TimeSpan.Zero, [.. live.Keys]);
                if (live.Count > 1 && live.Keys.Min() == options.Value.BrokerId)
                {
                    moving = await BalanceAsync(live.Keys.ToList(), maxMoves, settings.AutoBalance);
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                // Tried again at the next check.
                LogBalanceFailed(logger, e.Message);
            }
        }
    }

    /// <summary>One check; true while partitions it moved are moving, or moves were started or elections held in it.</summary>
    private async Task<bool> BalanceAsync(IReadOnlyCollection<int> live, int maxMoves, bool balance)
    {
        var draining = await grains.GetGrain<IBrokerRegistryGrain>(0).DrainingAsync();
        if (!balance && draining.Count == 0)
        {
            return false;
        }

        var partitions = await RegisteredPartitions.ListAsync(grains);
        var elected = await ElectMovedAsync(partitions, live);
        // Only this controller's own moves are watched closely; a reassignment made by hand may be throttled for hours.
        var moving = elected > 0 || partitions.Any(p => p.Registration.IsReassigning && _moved.Contains((p.Topic, p.Partition)));

        // No data is moved for balance while a partition is short of replicas (a broker away); it is moved off a
        // draining broker all the same, which may itself be away.
        if (partitions.Any(p => !p.Registration.IsReassigning && (p.Registration.IsOffline || p.Registration.Isr.Count < p.Registration.Replicas.Count)))
        {
            balance = false;
            if (draining.Count == 0)
            {
                return moving;
            }
        }

        var racks = (await grains.GetGrain<IBrokerRegistryGrain>(0).ListAsync()).ToDictionary(b => b.BrokerId, b => b.Rack);
        var moves = ReplicaBalancer.Plan(partitions, [.. live.Where(b => !draining.Contains(b))], draining, maxMoves, balance, racks);
        foreach (var topic in moves.GroupBy(m => m.Topic))
        {
            var results = await grains.GetGrain<ITopicGrain>(topic.Key)
                .AlterReassignmentsAsync([.. topic.Select(m => new PartitionReassignmentTarget(m.Partition, m.Target))]);
            foreach (var result in results.Where(r => r.Error == KafkaFormats.ErrorCode.None))
            {
                _moved.Add((topic.Key, result.Partition));
            }

            LogMoving(logger, topic.Key, string.Join("; ", topic.Select(m => $"{m.Partition} -> [{string.Join(",", m.Target)}]")));
        }

        return moving || moves.Count > 0;
    }

    /// <summary>Partitions moved earlier whose move is done and whose preferred replica is in sync but not leading: a PREFERRED election.</summary>
    private async Task<int> ElectMovedAsync(IReadOnlyList<RegisteredPartition> partitions, IReadOnlyCollection<int> live)
    {
        var current = partitions.ToDictionary(p => (p.Topic, p.Partition));
        _moved.RemoveWhere(m => !current.TryGetValue(m, out var p) || (!p.Registration.IsReassigning && p.Registration.Leader == p.Registration.Replicas[0]));
        var elect = _moved
            .Select(m => current[m])
            .Where(p => !p.Registration.IsReassigning && p.Registration.Isr.Contains(p.Registration.Replicas[0]) && live.Contains(p.Registration.Replicas[0]))
            .ToList();
        foreach (var topic in elect.GroupBy(p => p.Topic))
        {
            await grains.GetGrain<ITopicGrain>(topic.Key).ElectLeadersAsync(LeaderElections.Preferred, [.. topic.Select(p => p.Partition)]);
        }

        return elect.Count;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Balancing topic {Topic}: moving partitions {Moves}")]
    private static partial void LogMoving(ILogger logger, string topic, string moves);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster balancing failed: {Reason}; trying again at the next check")]
    private static partial void LogBalanceFailed(ILogger logger, string reason);
}

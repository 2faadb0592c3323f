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
/// smallest id) every <c>Tributary:Cluster:AutoBalanceInterval</c>: while every partition is fully in sync
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
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _stopping.Token);
                var live = brokers.Active();
                if (live.Count > 1 && live.Keys.Min() == options.Value.BrokerId)
                {
                    await BalanceAsync(live.Keys.ToList(), maxMoves, settings.AutoBalance);
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

    private async Task BalanceAsync(IReadOnlyCollection<int> live, int maxMoves, bool balance)
    {
        var draining = await grains.GetGrain<IBrokerRegistryGrain>(0).DrainingAsync();
        if (!balance && draining.Count == 0)
        {
            return;
        }

        var partitions = await RegisteredPartitions.ListAsync(grains);
        await ElectMovedAsync(partitions, live);

        // No data is moved for balance while a partition is short of replicas (a broker away); it is moved off a
        // draining broker all the same, which may itself be away.
        if (partitions.Any(p => !p.Registration.IsReassigning && (p.Registration.IsOffline || p.Registration.Isr.Count < p.Registration.Replicas.Count)))
        {
            balance = false;
            if (draining.Count == 0)
            {
                return;
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
    }

    /// <summary>Partitions moved earlier whose move is done and whose preferred replica is in sync but not leading: a PREFERRED election.</summary>
    private async Task ElectMovedAsync(IReadOnlyList<RegisteredPartition> partitions, IReadOnlyCollection<int> live)
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
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Balancing topic {Topic}: moving partitions {Moves}")]
    private static partial void LogMoving(ILogger logger, string topic, string moves);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster balancing failed: {Reason}; trying again at the next check")]
    private static partial void LogBalanceFailed(ILogger logger, string reason);
}

using System.Diagnostics.Metrics;

namespace Tributary.Grains.Actors.Metrics;

/// <summary>
/// Kafka's <c>kafka.server:type=group-coordinator-metrics</c> counters, on the silo where each group's grain runs:
/// rebalances completed (<c>group-completed-rebalance-count</c>) and offsets committed (<c>offset-commit-count</c>,
/// one per partition committed), whose rates are Kafka's <c>...-rate</c>.
/// </summary>
public sealed class GroupCoordinatorMetrics
{
    private const string Prefix = "kafka.server.group_coordinator_metrics.";

    private readonly Counter<long> _rebalances;
    private readonly Counter<long> _commits;

    public GroupCoordinatorMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _rebalances = meter.CreateCounter<long>(Prefix + "group_completed_rebalance", description: "Rebalances completed (group-completed-rebalance-count).");
        _commits = meter.CreateCounter<long>(Prefix + "offset_commit", description: "Offsets committed, one per partition (offset-commit-count).");
    }

    /// <summary>The meter of Kafka's <c>kafka.server</c> domain, shared with the gateway's broker metrics.</summary>
    public const string MeterName = "kafka.server";

    public void RebalancesCompleted(int count) => _rebalances.Add(count);

    public void OffsetsCommitted(int count) => _commits.Add(count);
}

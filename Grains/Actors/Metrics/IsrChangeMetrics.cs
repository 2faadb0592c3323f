using System.Diagnostics.Metrics;

namespace Tributary.Grains.Actors.Metrics;

/// <summary>
/// Kafka's <c>ReplicaManager</c> <c>IsrShrinksPerSec</c> and <c>IsrExpandsPerSec</c>: ISR changes this broker's leaders
/// had the controller store, counted as Kafka's Partition counts them, by what the leader proposed: a shrink when it
/// took replicas out of the ISR it held, an expansion when it added some (both when one change did both).
/// </summary>
public sealed class IsrChangeMetrics(IMeterFactory meters)
{
    private readonly Counter<long> _shrinks = meters.Create(GroupCoordinatorMetrics.MeterName)
        .CreateCounter<long>("kafka.server.replicamanager.isrshrinks", description: "ISR changes that removed replicas (IsrShrinksPerSec).");

    private readonly Counter<long> _expands = meters.Create(GroupCoordinatorMetrics.MeterName)
        .CreateCounter<long>("kafka.server.replicamanager.isrexpands", description: "ISR changes that added replicas (IsrExpandsPerSec).");

    public void Changed(IReadOnlyList<int> held, IReadOnlyList<int> proposed)
    {
        if (held.Except(proposed).Any())
        {
            _shrinks.Add(1);
        }

        if (proposed.Except(held).Any())
        {
            _expands.Add(1);
        }
    }
}

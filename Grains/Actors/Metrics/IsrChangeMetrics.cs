using System.Diagnostics.Metrics;

namespace Tributary.Grains.Actors.Metrics;

/// <summary>
/// Kafka's <c>ReplicaManager</c> <c>IsrShrinksPerSec</c> and <c>IsrExpandsPerSec</c>: ISR changes this broker's leaders
/// had the controller store, counted as Kafka's Partition counts them, by whether the new ISR is smaller or larger.
/// </summary>
public sealed class IsrChangeMetrics(IMeterFactory meters)
{
    private readonly Counter<long> _shrinks = meters.Create(GroupCoordinatorMetrics.MeterName)
        .CreateCounter<long>("kafka.server.replicamanager.isrshrinks", description: "ISR changes that removed replicas (IsrShrinksPerSec).");

    private readonly Counter<long> _expands = meters.Create(GroupCoordinatorMetrics.MeterName)
        .CreateCounter<long>("kafka.server.replicamanager.isrexpands", description: "ISR changes that added replicas (IsrExpandsPerSec).");

    public void Changed(int before, int after)
    {
        if (after < before)
        {
            _shrinks.Add(1);
        }
        else if (after > before)
        {
            _expands.Add(1);
        }
    }
}

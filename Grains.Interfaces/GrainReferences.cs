using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Transactions;

namespace Tributary.Grains.Interfaces;

/// <summary>
/// References to the grains that produce and transactions call per request. Orleans' <c>GetGrain</c> works out an
/// interface's grain type from its attributes, by reflection, on every call (a few per cent of the broker's CPU under
/// small transactions); here each interface is worked out once, by the first reference asked for, and later references
/// are built straight from their grain ids. The keys are those of the <c>GetGrain</c> calls they stand for.
/// </summary>
public sealed class GrainReferences(IGrainFactory grains)
{
    private GrainTypes? _partition;
    private GrainTypes? _coordinator;

    /// <summary>The partition's grain (<see cref="PartitionGrainKey"/>).</summary>
    public IPartitionGrain Partition(string topic, int partition)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        if (_partition is not { } types)
        {
            var first = PartitionGrainKey.Get(grains, topic, partition);
            _partition = GrainTypes.Of(first);
            return first;
        }

        return (IPartitionGrain)grains.GetGrain(GrainId.Create(types.Grain, GrainIdKeyExtensions.CreateIntegerKey(partition, topic)), types.Interface);
    }

    /// <summary>The transaction coordinator of <paramref name="transactionalId"/>.</summary>
    public ITransactionCoordinatorGrain TransactionCoordinator(string transactionalId)
    {
        ArgumentNullException.ThrowIfNull(transactionalId);
        if (_coordinator is not { } types)
        {
            var first = grains.GetGrain<ITransactionCoordinatorGrain>(transactionalId);
            _coordinator = GrainTypes.Of(first);
            return first;
        }

        return (ITransactionCoordinatorGrain)grains.GetGrain(GrainId.Create(types.Grain, IdSpan.Create(transactionalId)), types.Interface);
    }

    private sealed record GrainTypes(GrainType Grain, GrainInterfaceType Interface)
    {
        public static GrainTypes Of(IAddressable reference) =>
            new(reference.GetGrainId().Type, ((GrainReference)reference).InterfaceType);
    }
}

using Tributary.Grains.Connect.Runtime.Tasks;
using Tributary.Grains.Interfaces.Connect;

namespace Tributary.Grains.Actors.Connect;

/// <summary>A source task's offsets in its connector's <see cref="ISourceOffsetsGrain"/>.</summary>
internal sealed class GrainSourceOffsetStore(IGrainFactory grains, string connector) : ISourceOffsetStore
{
    private ISourceOffsetsGrain Grain => grains.GetGrain<ISourceOffsetsGrain>(connector);

    public async Task<IReadOnlyDictionary<string, string>> ReadAsync(IReadOnlyList<string> partitions, CancellationToken cancellationToken)
    {
        var stored = await TransientGrainFailures.RetriableAsync(() => Grain.GetAsync(partitions), $"Reading the source offsets of {connector}");
        return stored.Where(o => o.OffsetJson is not null).ToDictionary(o => o.PartitionJson, o => o.OffsetJson!, StringComparer.Ordinal);
    }

    public Task CommitAsync(IReadOnlyDictionary<string, string> offsets, CancellationToken cancellationToken) =>
        TransientGrainFailures.RetriableAsync(
            () => Grain.CommitAsync([.. offsets.Select(o => new ConnectorOffset(o.Key, o.Value))]), $"Committing the source offsets of {connector}");
}

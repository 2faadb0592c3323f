using Tributary.Grains.Actors.Persistence;
using Tributary.Grains.Interfaces.Connect;

namespace Tributary.Grains.Actors.Connect;

/// <summary>A source connector's offsets, durably: each source partition's latest offset, both as canonical JSON text.</summary>
public sealed class SourceOffsetsGrain(
    [PersistentState("source-offsets", GrainStorageNames.ControlPlane)] IPersistentState<SourceOffsetsState> state)
    : Grain, ISourceOffsetsGrain
{
    public Task<IReadOnlyList<ConnectorOffset>> GetAllAsync() =>
        Task.FromResult<IReadOnlyList<ConnectorOffset>>([.. state.State.Offsets.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => new ConnectorOffset(o.Key, o.Value))]);

    public Task<IReadOnlyList<ConnectorOffset>> GetAsync(IReadOnlyList<string> partitions) =>
        Task.FromResult<IReadOnlyList<ConnectorOffset>>([.. partitions
            .Where(state.State.Offsets.ContainsKey)
            .Select(p => new ConnectorOffset(p, state.State.Offsets[p]))]);

    public async Task CommitAsync(IReadOnlyList<ConnectorOffset> offsets)
    {
        var changed = false;
        foreach (var offset in offsets)
        {
            changed |= offset.OffsetJson is null
                ? state.State.Offsets.Remove(offset.PartitionJson)
                : state.State.Offsets.GetValueOrDefault(offset.PartitionJson) != offset.OffsetJson && Set(offset);
        }

        if (changed)
        {
            await state.WriteStateAsync();
        }
    }

    public async Task ClearAsync()
    {
        if (state.State.Offsets.Count > 0)
        {
            state.State.Offsets.Clear();
            await state.WriteStateAsync();
        }
    }

    private bool Set(ConnectorOffset offset)
    {
        state.State.Offsets[offset.PartitionJson] = offset.OffsetJson!;
        return true;
    }
}

[GenerateSerializer, Alias("Tributary.Grains.SourceOffsetsState")]
public sealed class SourceOffsetsState
{
    [Id(0)]
    public Dictionary<string, string> Offsets { get; set; } = new(StringComparer.Ordinal);
}

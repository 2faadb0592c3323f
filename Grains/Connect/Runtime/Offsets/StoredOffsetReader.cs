using Tributary.Grains.Connect.Api.Storage;
using Tributary.Grains.Connect.Runtime.Tasks;

namespace Tributary.Grains.Connect.Runtime.Offsets;

/// <summary>A source task's <see cref="IOffsetStorageReader"/> over the connector's stored offsets.</summary>
public sealed class StoredOffsetReader(ISourceOffsetStore store) : IOffsetStorageReader
{
    public async ValueTask<IReadOnlyDictionary<string, object?>?> OffsetAsync(IReadOnlyDictionary<string, object?> partition, CancellationToken cancellationToken = default)
    {
        var offsets = await OffsetsAsync([partition], cancellationToken).ConfigureAwait(false);
        return offsets.Count == 0 ? null : offsets[0].Offset;
    }

    public async ValueTask<IReadOnlyList<(IReadOnlyDictionary<string, object?> Partition, IReadOnlyDictionary<string, object?> Offset)>> OffsetsAsync(
        IEnumerable<IReadOnlyDictionary<string, object?>> partitions, CancellationToken cancellationToken = default)
    {
        var keyed = partitions.Select(p => (Text: OffsetJson.Write(p), Partition: p)).ToList();
        var stored = await store.ReadAsync([.. keyed.Select(k => k.Text)], cancellationToken).ConfigureAwait(false);
        return [.. keyed.Where(k => stored.ContainsKey(k.Text)).Select(k => (k.Partition, OffsetJson.Read(stored[k.Text])))];
    }
}

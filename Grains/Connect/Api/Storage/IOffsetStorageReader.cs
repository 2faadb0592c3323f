namespace Tributary.Grains.Connect.Api.Storage;

/// <summary>
/// Reads a source connector's stored offsets (Kafka's <c>OffsetStorageReader</c>): the latest offset written for each
/// source partition, e.g. <c>{"table": "users"}</c> → <c>{"incrementing": 42}</c>. Partitions compare by content.
/// </summary>
public interface IOffsetStorageReader
{
    ValueTask<IReadOnlyDictionary<string, object?>?> OffsetAsync(IReadOnlyDictionary<string, object?> partition, CancellationToken cancellationToken = default);

    /// <summary>The offsets of several partitions at once; partitions without an offset are left out.</summary>
    ValueTask<IReadOnlyList<(IReadOnlyDictionary<string, object?> Partition, IReadOnlyDictionary<string, object?> Offset)>> OffsetsAsync(
        IEnumerable<IReadOnlyDictionary<string, object?>> partitions, CancellationToken cancellationToken = default);
}

using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Runtime.Records;

namespace Tributary.Grains.Connect.Runtime.Tasks;

/// <summary>Writes a source task's records to their topics and answers where each landed; throws when a write failed.</summary>
public interface IRecordWriter
{
    Task<IReadOnlyList<ProducedRecord>> WriteAsync(IReadOnlyList<ProducerRecord> records, CancellationToken cancellationToken);

    /// <summary>As <see cref="WriteAsync"/>, for a caller that need not know where each record landed.</summary>
    async Task WriteOnlyAsync(IReadOnlyList<ProducerRecord> records, CancellationToken cancellationToken) =>
        await WriteAsync(records, cancellationToken).ConfigureAwait(false);
}

/// <summary>A source connector's durable offsets: read at start, written after records are (each partition as canonical JSON).</summary>
public interface ISourceOffsetStore
{
    Task<IReadOnlyDictionary<string, string>> ReadAsync(IReadOnlyList<string> partitions, CancellationToken cancellationToken);

    Task CommitAsync(IReadOnlyDictionary<string, string> offsets, CancellationToken cancellationToken);
}

/// <summary>Reads a sink task's partitions and keeps its group's committed offsets (the <c>connect-&lt;name&gt;</c> group).</summary>
public interface IRecordReader
{
    /// <summary>The committed offsets of these partitions; a partition without one is answered with its log start offset.</summary>
    Task<IReadOnlyDictionary<TopicPartition, long>> StartOffsetsAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken);

    /// <summary>
    /// Records from these positions on, waiting up to <paramref name="maxWait"/> for the first: a partition's whole
    /// batches, which the caller decodes as it takes them and disposes.
    /// </summary>
    Task<IReadOnlyList<FetchedRecords>> ReadAsync(IReadOnlyDictionary<TopicPartition, long> positions, TimeSpan maxWait, CancellationToken cancellationToken);

    Task CommitAsync(IReadOnlyDictionary<TopicPartition, long> offsets, CancellationToken cancellationToken);
}

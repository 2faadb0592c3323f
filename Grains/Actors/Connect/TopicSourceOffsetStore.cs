using System.Text;
using Tributary.Grains.Connect.Runtime.Offsets;
using Tributary.Grains.Connect.Runtime.Tasks;
using Tributary.Grains.Interfaces.Connect;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats.Buffers;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Grains.Actors.Connect;

/// <summary>
/// An exactly-once source task's offsets, read where its transactions wrote them: the offsets topic, read_committed to
/// its end, the connector's last offset of each source partition winning (a tombstone removes it), as Kafka's worker
/// reads <c>connect-offsets</c>. Offsets committed are only shown in the connector's stored offsets (for the REST API);
/// the transaction has already written them to the topic.
/// </summary>
internal sealed class TopicSourceOffsetStore(IGrainFactory grains, string topic, string connector) : ISourceOffsetStore
{
    private const int MaxBytes = 1 << 20;

    public async Task<IReadOnlyDictionary<string, string>> ReadAsync(IReadOnlyList<string> partitions, CancellationToken cancellationToken)
    {
        var description = await grains.GetGrain<ITopicGrain>(topic).DescribeAsync();
        var latest = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var p = 0; p < (description?.PartitionCount ?? 0); p++)
        {
            await ReadPartitionAsync(p, latest, cancellationToken);
        }

        var wanted = partitions.Select(OffsetJson.Canonical).ToHashSet(StringComparer.Ordinal);
        return latest.Where(o => o.Value is not null && wanted.Contains(o.Key)).ToDictionary(o => o.Key, o => o.Value!, StringComparer.Ordinal);
    }

    public Task CommitAsync(IReadOnlyDictionary<string, string> offsets, CancellationToken cancellationToken) =>
        TransientGrainFailures.RetriableAsync(
            () => grains.GetGrain<ISourceOffsetsGrain>(connector).CommitAsync([.. offsets.Select(o => new ConnectorOffset(o.Key, o.Value))]),
            $"Committing the source offsets of {connector}");

    private async Task ReadPartitionAsync(int index, Dictionary<string, string?> latest, CancellationToken cancellationToken)
    {
        var partition = PartitionGrainKey.Get(grains, topic, index);
        var position = (await partition.GetOffsetsAsync()).LogStartOffset;
        var aborted = new AbortedTransactions();
        while (true)
        {
            var read = await partition.ReadAsync(new ReadRequest(position, MaxBytes, TimeSpan.Zero, ReadCommitted: true), cancellationToken);
            if (read.Error != KafkaFormats.ErrorCode.None)
            {
                throw new Tributary.Grains.Connect.Api.RetriableException($"Reading the offsets topic {topic}-{index} failed: {read.Error}");
            }

            aborted.Add(read.AbortedTransactions);
            var next = Apply(read.Records.Span, position, aborted, latest);
            PooledBuffer.Release(read.Records.Memory);
            if (next <= position || next >= read.LastStableOffset)
            {
                return;
            }

            position = next;
        }
    }

    /// <summary>Applies the committed offset records of whole batches from <paramref name="from"/>; the offset after the last batch read.</summary>
    private long Apply(ReadOnlySpan<byte> batches, long from, AbortedTransactions aborted, Dictionary<string, string?> latest)
    {
        var next = from;
        while (batches.Length >= RecordBatch.LogOverhead && RecordBatch.TotalSize(batches) <= batches.Length)
        {
            var batch = batches[..RecordBatch.TotalSize(batches)];
            batches = batches[batch.Length..];
            next = RecordBatch.LastOffset(batch) + 1;
            var producerId = RecordBatch.ProducerId(batch);
            if (RecordBatch.IsControl(batch))
            {
                aborted.End(producerId);
                continue;
            }

            if (RecordBatch.IsTransactional(batch) && aborted.IsAborted(producerId, RecordBatch.BaseOffset(batch)))
            {
                continue;
            }

            foreach (var (key, value) in DataRecords.Read(batch, from, (in Record r, long _, long _, TimestampType _) =>
                         (r.HasKey ? r.Key.ToArray() : null, r.HasValue ? Encoding.UTF8.GetString(r.Value) : null)))
            {
                if (OffsetRecords.ReadKey(key) is { } parsed && parsed.Connector == connector)
                {
                    latest[parsed.PartitionJson] = value is null ? null : OffsetJson.Canonical(value);
                }
            }
        }

        return next;
    }

    /// <summary>
    /// The aborted transactions a read_committed read lists (producer and first offset), as Kafka's consumer uses them:
    /// a producer's transactional batches from that offset on are dropped until its abort marker.
    /// </summary>
    private sealed class AbortedTransactions
    {
        private readonly List<AbortedTransactionData> _listed = [];
        private readonly HashSet<long> _open = [];

        public void Add(IReadOnlyList<AbortedTransactionData>? aborted)
        {
            if (aborted is not null)
            {
                _listed.AddRange(aborted.Where(a => !_listed.Contains(a)));
            }
        }

        public bool IsAborted(long producerId, long baseOffset)
        {
            foreach (var started in _listed.Where(a => a.ProducerId == producerId && a.FirstOffset <= baseOffset).ToList())
            {
                _open.Add(producerId);
                _listed.Remove(started);
            }

            return _open.Contains(producerId);
        }

        public void End(long producerId) => _open.Remove(producerId);
    }
}

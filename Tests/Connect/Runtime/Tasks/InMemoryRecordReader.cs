using System.Text;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Runtime.Records;
using Tributary.Grains.Connect.Runtime.Tasks;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Tests.Connect.Runtime.Tasks;

/// <summary>Partitions in memory for a sink task: reads from positions (at most <see cref="MaxPerRead"/> records), keeps commits.</summary>
internal sealed class InMemoryRecordReader : IRecordReader
{
    private readonly object _gate = new();
    private readonly Dictionary<TopicPartition, List<ConsumerRecord>> _logs = [];
    private readonly Dictionary<TopicPartition, long> _committed = [];

    public int MaxPerRead { get; init; } = 100;

    /// <summary>How many of the next start-offset fetches, reads and commits fail as a dead partition leader's would.</summary>
    public int FailingStarts { get; set; }

    public int FailingReads { get; set; }

    public int FailingCommits { get; set; }

    public List<IReadOnlyDictionary<TopicPartition, long>> Commits { get; } = [];

    public IReadOnlyDictionary<TopicPartition, long> Committed
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<TopicPartition, long>(_committed);
            }
        }
    }

    public void Append(TopicPartition partition, params string[] values)
    {
        lock (_gate)
        {
            if (!_logs.TryGetValue(partition, out var log))
            {
                _logs[partition] = log = [];
            }

            foreach (var value in values)
            {
                log.Add(new ConsumerRecord(partition, log.Count, 1000 + log.Count, Tributary.Grains.Connect.Api.Sink.TimestampType.CreateTime,
                    null, Encoding.UTF8.GetBytes(value), []));
            }
        }
    }

    public void Commit(TopicPartition partition, long offset)
    {
        lock (_gate)
        {
            _committed[partition] = offset;
        }
    }

    public Task<IReadOnlyDictionary<TopicPartition, long>> StartOffsetsAsync(IReadOnlyCollection<TopicPartition> partitions, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            FailIf(FailingStarts-- > 0);
            IReadOnlyDictionary<TopicPartition, long> offsets = partitions.ToDictionary(p => p, p => _committed.GetValueOrDefault(p));
            return Task.FromResult(offsets);
        }
    }

    public async Task<IReadOnlyList<FetchedRecords>> ReadAsync(IReadOnlyDictionary<TopicPartition, long> positions, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        List<ConsumerRecord> records;
        lock (_gate)
        {
            FailIf(FailingReads-- > 0);
            records = [.. positions
                .SelectMany(p => _logs.GetValueOrDefault(p.Key)?.Where(r => r.Offset >= p.Value) ?? [])
                .Take(MaxPerRead)];
        }

        if (records.Count == 0)
        {
            // Nothing new: wait a little, as a long poll would, without keeping the test busy.
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
        }

        // As a partition grain answers: each partition's records as one batch of the log's bytes.
        return [.. records.GroupBy(r => r.Partition).Select(g => new FetchedRecords(g.Key, g.First().Offset, Batch(g.ToList())))];
    }

    private static byte[] Batch(List<ConsumerRecord> records)
    {
        var builder = new RecordBatchBuilder();
        foreach (var record in records)
        {
            builder.Append(record.Timestamp, record.Key, record.Value);
        }

        return builder.Build(records[0].Offset);
    }

    public Task CommitAsync(IReadOnlyDictionary<TopicPartition, long> offsets, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            FailIf(FailingCommits-- > 0);
            foreach (var (partition, offset) in offsets)
            {
                _committed[partition] = offset;
            }

            Commits.Add(new Dictionary<TopicPartition, long>(offsets));
        }

        return Task.CompletedTask;
    }

    private static void FailIf(bool failing)
    {
        if (failing)
        {
            throw new Tributary.Grains.Connect.Api.RetriableException("the partition's silo is gone");
        }
    }
}

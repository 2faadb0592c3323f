using Tributary.Grains.Connect.Runtime.Records;
using Tributary.Grains.Connect.Runtime.Tasks;

namespace Tributary.Tests.Connect.Runtime.Tasks;

/// <summary>A topic log in memory: records get offsets per topic-partition in write order; may be told to fail.</summary>
internal sealed class InMemoryRecordWriter : IRecordWriter
{
    private readonly object _gate = new();
    private readonly List<ProducerRecord> _written = [];
    private readonly Dictionary<(string, int), long> _next = [];

    public Exception? FailWith { get; set; }

    public IReadOnlyList<ProducerRecord> Written
    {
        get
        {
            lock (_gate)
            {
                return [.. _written];
            }
        }
    }

    public Task<IReadOnlyList<ProducedRecord>> WriteAsync(IReadOnlyList<ProducerRecord> records, CancellationToken cancellationToken)
    {
        if (FailWith is { } error)
        {
            throw error;
        }

        lock (_gate)
        {
            var produced = new List<ProducedRecord>(records.Count);
            foreach (var record in records)
            {
                var partition = record.Partition ?? 0;
                var offset = _next.GetValueOrDefault((record.Topic, partition));
                _next[(record.Topic, partition)] = offset + 1;
                _written.Add(record);
                produced.Add(new ProducedRecord(record.Topic, partition, offset, record.Timestamp ?? 0));
            }

            return Task.FromResult<IReadOnlyList<ProducedRecord>>(produced);
        }
    }
}

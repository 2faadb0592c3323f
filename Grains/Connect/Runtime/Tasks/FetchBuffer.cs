using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Runtime.Records;

namespace Tributary.Grains.Connect.Runtime.Tasks;

/// <summary>
/// The records a sink task's read returned beyond <c>max.poll.records</c>, kept for the next puts as Kafka's consumer
/// keeps fetched records between polls. Reading again from the positions instead decoded a whole read (up to 1 MiB per
/// partition, some 7,000 records of 100 bytes) for every 500 records put. A partition's records are handed out only
/// while its position is where they continue from: a position the task moved (<c>SinkTaskContext.offset</c>) drops
/// them; a paused partition keeps them for when it resumes.
/// </summary>
internal sealed class FetchBuffer
{
    private readonly Dictionary<TopicPartition, Queue<ConsumerRecord>> _records = [];
    private readonly Dictionary<TopicPartition, long> _continuesFrom = [];

    /// <summary>Replaces the buffered records of the partitions just read from <paramref name="positions"/>.</summary>
    public void Fill(IReadOnlyDictionary<TopicPartition, long> positions, IReadOnlyList<ConsumerRecord> read)
    {
        foreach (var (partition, position) in positions)
        {
            // A partition's queue is kept from read to read: grown to a read's thousands of records once, not per read.
            if (_records.TryGetValue(partition, out var queue))
            {
                queue.Clear();
            }
            else
            {
                _records[partition] = new Queue<ConsumerRecord>();
            }

            _continuesFrom[partition] = position;
        }

        foreach (var record in read)
        {
            if (_records.TryGetValue(record.Partition, out var queue))
            {
                queue.Enqueue(record);
            }
        }
    }

    /// <summary>Up to <paramref name="max"/> buffered records of these partitions, each partition's in offset order.</summary>
    public List<ConsumerRecord> Take(IReadOnlyDictionary<TopicPartition, long> positions, int max)
    {
        // Sized once: a put's list grew by doubling through arrays of up to max.poll.records before. Only the records
        // these positions can take count: a paused partition's or a moved one's buffer sizes nothing.
        var buffered = 0;
        foreach (var (partition, position) in positions)
        {
            if (_records.TryGetValue(partition, out var queue) && _continuesFrom[partition] == position)
            {
                buffered += queue.Count;
            }
        }

        var taken = new List<ConsumerRecord>(Math.Min(max, buffered));
        foreach (var (partition, position) in positions)
        {
            if (!_records.TryGetValue(partition, out var queue))
            {
                continue;
            }

            if (_continuesFrom[partition] != position)
            {
                queue.Clear();
                continue;
            }

            while (queue.Count > 0 && taken.Count < max)
            {
                var record = queue.Dequeue();
                taken.Add(record);
                _continuesFrom[partition] = record.Offset + 1;
            }
        }

        return taken;
    }
}

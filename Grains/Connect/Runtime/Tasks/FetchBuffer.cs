using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Runtime.Records;

namespace Tributary.Grains.Connect.Runtime.Tasks;

/// <summary>
/// A sink task's last read of each partition, kept for the next puts as Kafka's consumer keeps a fetch between polls
/// and decoded only as far as each put takes (<c>max.poll.records</c>). Reading again from the positions instead
/// decoded a whole read for every 500 records put. A partition's records are handed out only while its position is
/// where they continue from: a position the task moved (<c>SinkTaskContext.offset</c>) drops them; a paused partition
/// keeps them for when it resumes.
/// </summary>
internal sealed class FetchBuffer : IDisposable
{
    private readonly Dictionary<TopicPartition, FetchedRecords> _reads = [];
    private readonly Dictionary<TopicPartition, long> _continuesFrom = [];

    /// <summary>Replaces the buffered records of the partitions just read from <paramref name="positions"/>.</summary>
    public void Fill(IReadOnlyDictionary<TopicPartition, long> positions, IReadOnlyList<FetchedRecords> read)
    {
        foreach (var (partition, position) in positions)
        {
            Drop(partition);
            _continuesFrom[partition] = position;
        }

        foreach (var fetched in read)
        {
            if (positions.ContainsKey(fetched.Partition))
            {
                _reads[fetched.Partition] = fetched;
            }
            else
            {
                fetched.Dispose();
            }
        }
    }

    /// <summary>Up to <paramref name="max"/> buffered records of these partitions, each partition's in offset order.</summary>
    public List<ConsumerRecord> Take(IReadOnlyDictionary<TopicPartition, long> positions, int max)
    {
        // A put is at most max.poll.records (Kafka's default 500); a larger setting grows the list as records come.
        var taken = new List<ConsumerRecord>(Math.Min(max, 1024));
        foreach (var (partition, position) in positions)
        {
            if (!_reads.TryGetValue(partition, out var fetched))
            {
                continue;
            }

            if (_continuesFrom[partition] != position)
            {
                Drop(partition);
                continue;
            }

            if (taken.Count < max && fetched.TakeInto(taken, max - taken.Count) > 0)
            {
                _continuesFrom[partition] = taken[^1].Offset + 1;
            }

            if (fetched.IsExhausted)
            {
                _reads.Remove(partition);
            }
        }

        return taken;
    }

    private void Drop(TopicPartition partition)
    {
        if (_reads.Remove(partition, out var fetched))
        {
            fetched.Dispose();
        }
    }

    /// <summary>Gives every buffered read's bytes back.</summary>
    public void Dispose()
    {
        foreach (var fetched in _reads.Values)
        {
            fetched.Dispose();
        }

        _reads.Clear();
    }
}

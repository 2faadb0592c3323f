namespace Tributary.Grains.RestConsumers;

/// <summary>
/// What a poll reads and what it keeps. The owner reads every partition of a <see cref="FetchPlan"/> at once, decodes
/// each answer (<see cref="FetchedPartition.Decode"/>), and hands the answers over in the order they came.
/// </summary>
public sealed partial class RestConsumer
{
    /// <summary>
    /// The reads of a poll over <paramref name="partitions"/> (the assignment when the poll began; their positions were
    /// started already): each from its position, up to <paramref name="maxBytes"/>. A partition that lost its position
    /// meanwhile (no longer assigned) is not read.
    /// </summary>
    public FetchPlan PlanFetch(IReadOnlyList<TopicPartition> partitions, int maxBytes) =>
        new(partitions
            .Where(_positions.ContainsKey)
            .Select(p => new PartitionFetch(p, _positions[p], maxBytes))
            .ToList(), maxBytes);

    /// <summary>
    /// The records a poll returns from these answers, in their order: while they fit in the plan's max bytes together (the
    /// first record always, so that a large record cannot stop the instance). Each partition's position moves past the
    /// last record kept from it; the records not kept are read again by the next poll. An answer from a position that
    /// changed while the read was out (a seek, a revocation) is dropped: the seek wins.
    /// </summary>
    public IReadOnlyList<ConsumedRecord> ApplyFetched(FetchPlan plan, IEnumerable<FetchedPartition> answered)
    {
        var records = new List<ConsumedRecord>();
        var bytes = 0;
        foreach (var fetched in answered)
        {
            var partition = fetched.Fetch.Partition;
            if (!_positions.TryGetValue(partition, out var position) || position != fetched.Fetch.FetchOffset)
            {
                continue;
            }

            foreach (var record in fetched.Records)
            {
                if (records.Count > 0 && bytes + record.Size > plan.MaxBytes)
                {
                    break;
                }

                bytes += record.Size;
                records.Add(record);
                _unanswered.TryAdd(partition, position);
                _positions[partition] = record.Offset + 1;
            }
        }

        return records;
    }
}

namespace Tributary.Grains.RestConsumers;

/// <summary>One partition's read of a poll: from the instance's position, at most <paramref name="MaxBytes"/> of whole batches.</summary>
public sealed record PartitionFetch(TopicPartition Partition, long FetchOffset, int MaxBytes);

/// <summary>
/// What one poll reads: every assigned partition at once, each from its position. Each read may bring up to the poll's
/// whole <see cref="MaxBytes"/> (a partition cannot know what the others will bring); the poll then keeps records,
/// in the order the reads answered, while they fit in <see cref="MaxBytes"/> together (see
/// <see cref="RestConsumer.ApplyFetched"/>).
/// </summary>
public sealed record FetchPlan(IReadOnlyList<PartitionFetch> Partitions, int MaxBytes)
{
    /// <summary>
    /// Whether the poll has what it waits for: every read answered, or (when the reads wait for records) one answered
    /// with records, so that a partition without new records does not hold back the others' records.
    /// </summary>
    public bool IsAnswered(IReadOnlyCollection<FetchedPartition> answered, bool waiting) =>
        answered.Count >= Partitions.Count || waiting && answered.Any(a => a.Records.Count > 0);
}

using Confluent.Kafka;

namespace Tributary.Grains.Streams.Processor;

/// <summary>
/// Told when a task's store is restored from its changelog (Kafka's <c>StateRestoreListener</c>): where the restore
/// starts and ends (after a persistent store's checkpoint, or from the start), its progress and the total. Called
/// on the stream threads; keep it quick.
/// </summary>
public interface IStateRestoreListener
{
    /// <param name="startingOffset">the first offset read</param>
    /// <param name="endingOffset">the changelog's end when the restore began: records up to it are restored</param>
    void OnRestoreStart(TopicPartition topicPartition, string storeName, long startingOffset, long endingOffset);

    /// <param name="batchEndOffset">the offset of the last record restored so far</param>
    void OnBatchRestored(TopicPartition topicPartition, string storeName, long batchEndOffset, long numRestored);

    void OnRestoreEnd(TopicPartition topicPartition, string storeName, long totalRestored);
}

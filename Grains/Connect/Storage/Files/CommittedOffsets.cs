using Tributary.Grains.Connect.Storage.Stores;

namespace Tributary.Grains.Connect.Storage.Files;

/// <summary>
/// What the committed files of a topic partition say has been written (the HDFS connector's recovery from
/// <c>FileUtils.fileStatusWithMaxOffset</c>): the offset after the largest end offset of the partition's committed
/// files anywhere below the topic's directory, whatever partitioner placed them; null when there are none.
/// </summary>
public static class CommittedOffsets
{
    public static async Task<long?> NextOffsetAsync(IStorage storage, string topicDirectory, string topic, int partition, CancellationToken cancellationToken)
    {
        long? next = null;
        await foreach (var path in storage.ListAsync(topicDirectory, cancellationToken).ConfigureAwait(false))
        {
            var fileName = path[(path.LastIndexOf('/') + 1)..];
            if (CommittedFileName.TryParse(fileName, out var name) && name.Topic == topic && name.Partition == partition &&
                (next is null || name.EndOffset + 1 > next))
            {
                next = name.EndOffset + 1;
            }
        }

        return next;
    }
}

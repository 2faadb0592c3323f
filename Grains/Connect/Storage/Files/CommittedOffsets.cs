using Tributary.Grains.Connect.Storage.Stores;

namespace Tributary.Grains.Connect.Storage.Files;

/// <summary>
/// What the committed files of a topic partition say has been written (the HDFS connector's recovery from
/// <c>FileUtils.fileStatusWithMaxOffset</c>): the partition's committed file with the largest end offset anywhere
/// below the topic's directory, whatever partitioner placed it, and the offset after it; null when there are none.
/// </summary>
public static class CommittedOffsets
{
    public static async Task<long?> NextOffsetAsync(IStorage storage, string topicDirectory, string topic, int partition, CancellationToken cancellationToken) =>
        await LastFileAsync(storage, topicDirectory, topic, partition, cancellationToken).ConfigureAwait(false) is { } last
            ? last.Name.EndOffset + 1
            : null;

    /// <summary>The path and name of the partition's committed file with the largest end offset.</summary>
    public static async Task<(string Path, CommittedFileName Name)?> LastFileAsync(
        IStorage storage, string topicDirectory, string topic, int partition, CancellationToken cancellationToken)
    {
        (string Path, CommittedFileName Name)? last = null;
        await foreach (var path in storage.ListAsync(topicDirectory, cancellationToken).ConfigureAwait(false))
        {
            var fileName = path[(path.LastIndexOf('/') + 1)..];
            if (CommittedFileName.TryParse(fileName, out var name) && name.Topic == topic && name.Partition == partition &&
                (last is null || name.EndOffset > last.Value.Name.EndOffset))
            {
                last = (path, name);
            }
        }

        return last;
    }
}

namespace Tributary.Gateway.Kafka.Fetching;

/// <summary>
/// A KIP-227 incremental fetch session: the partitions a client fetches, with the fetch offset and size it asked for
/// each, and what the last response told it about each (high watermark, last stable offset, log start offset), so
/// that an incremental response carries only the partitions that changed. Used by one request at a time: a client
/// does not send the next fetch of a session before the previous one is answered.
/// </summary>
public sealed class FetchSession(int id)
{
    public int Id { get; } = id;

    /// <summary>The epoch the next incremental request must carry.</summary>
    public int NextEpoch { get; set; } = 1;

    public long LastUsed { get; set; }

    public Dictionary<(string Topic, int Partition), SessionPartition> Partitions { get; } = [];
}

/// <summary>One partition of a fetch session.</summary>
public sealed class SessionPartition(string topic, Guid topicId, int partition)
{
    public string Topic { get; } = topic;

    public Guid TopicId { get; } = topicId;

    public int Partition { get; } = partition;

    public long FetchOffset { get; set; }

    public int MaxBytes { get; set; }

    /// <summary>The leader epoch the client last named for the partition (-1 for none).</summary>
    public int CurrentLeaderEpoch { get; set; } = -1;

    public long LastHighWatermark { get; set; } = -1;

    public long LastStableOffset { get; set; } = -1;

    public long LastLogStartOffset { get; set; } = -1;
}

namespace Tributary.Grains.Groups;

/// <summary>The group coordinator's broker settings, with Kafka's names and defaults.</summary>
public sealed record GroupOptions
{
    /// <summary><c>group.min.session.timeout.ms</c>. Default 6 s.</summary>
    public TimeSpan MinSessionTimeout { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary><c>group.max.session.timeout.ms</c>. Default 30 min.</summary>
    public TimeSpan MaxSessionTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// <c>group.initial.rebalance.delay.ms</c>: how long the first rebalance of an empty group waits for more members,
    /// extended while they keep arriving. Default 3 s.
    /// </summary>
    public TimeSpan InitialRebalanceDelay { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary><c>group.max.size</c>. Default unbounded.</summary>
    public int MaxSize { get; init; } = int.MaxValue;

    /// <summary><c>offsets.retention.minutes</c>: committed offsets of a group that stays empty this long go. Default 7 days.</summary>
    public TimeSpan OffsetsRetention { get; init; } = TimeSpan.FromDays(7);

    /// <summary><c>offset.metadata.max.bytes</c>. Default 4096.</summary>
    public int OffsetMetadataMaxBytes { get; init; } = 4096;

    /// <summary>Largest protocol metadata (subscription) a member may send; a hostile client cannot make the group hold more. Default 1 MiB.</summary>
    public int MaxProtocolMetadataBytes { get; init; } = 1024 * 1024;
}

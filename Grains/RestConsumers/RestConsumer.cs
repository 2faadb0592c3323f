namespace Tributary.Grains.RestConsumers;

/// <summary>
/// One REST Proxy consumer instance, as Confluent's KafkaConsumerState over a Kafka consumer: its settings, its
/// subscription (topics or a pattern, whose partitions its group assigns) or its manual assignment, its positions, what
/// a poll reads and keeps, what it commits, its group membership (see <see cref="MembershipStep"/>), and its expiry
/// after <c>consumer.instance.timeout.ms</c> without a request.
/// <para>It performs no I/O: its owner calls the group and the partitions and feeds the answers back. A request that
/// needs answers from elsewhere comes in parts (<see cref="BeginSeekTo"/> then <see cref="SeekTo"/>,
/// <see cref="Commit"/> then <see cref="Committed"/>, <see cref="PlanFetch"/> then <see cref="ApplyFetched"/>), and
/// the membership is a loop of steps that runs beside the requests.</para>
/// <para>Invariants: a subscription and a manual assignment exclude each other; a position is held only for an
/// assigned partition, and a partition that stops being assigned loses it.</para>
/// <para>Not thread-safe: its owner makes one call at a time, but requests, a poll's reads and the membership's steps
/// interleave between calls. An answer the state has moved past is dropped: a read from a position that a seek changed
/// meanwhile, an offset looked up for a partition no longer assigned, a step of a membership stopped since. Held in
/// memory only: after a crash the instance is gone, as Confluent's instances are. Time comes from
/// <paramref name="time"/>.</para>
/// </summary>
public sealed partial class RestConsumer(RestConsumerOptions options, TimeProvider time)
{
    private InstanceConfig? _config;
    private long _lastRequest;

    /// <summary>The instance's settings; null before it is created and once it is closed.</summary>
    public InstanceConfig? Config => _config;

    /// <summary>Creates the instance with these settings, unless it exists; its idle time starts now.</summary>
    public RestConsumerError Create(InstanceConfig config)
    {
        if (_config is not null)
        {
            return RestConsumerError.InstanceExists;
        }

        _config = config;
        Touch();
        return RestConsumerError.None;
    }

    /// <summary>The instance's settings (null when it does not exist); asking counts as a request.</summary>
    public InstanceConfig? GetConfig()
    {
        Touch();
        return _config;
    }

    /// <summary>A request that needs only the instance: not found, or None and the request counts as use.</summary>
    public RestConsumerError BeginRequest()
    {
        if (_config is null)
        {
            return RestConsumerError.InstanceNotFound;
        }

        Touch();
        return RestConsumerError.None;
    }

    /// <summary>Whether the instance exists and has had no request for longer than <paramref name="timeout"/>.</summary>
    public bool IsExpired(TimeSpan timeout) => _config is not null && time.GetElapsedTime(_lastRequest) > timeout;

    /// <summary>
    /// When the instance closes (deleted or expired) with auto-commit on: its positions, to commit before it leaves its
    /// group. Null when there is nothing to commit.
    /// </summary>
    public OffsetCommit? CommitOnClose() => _config?.AutoCommit == true && _positions.Count > 0 ? CommitOf(PositionsToCommit()) : null;

    /// <summary>
    /// Forgets the instance: requests find nothing from now on, and a new instance of the name starts afresh. Its group
    /// membership stays until <see cref="StopMembership"/>, so that it can leave its group.
    /// </summary>
    public void Close()
    {
        _config = null;
        _topics = null;
        _pattern = null;
        _patternRegex = null;
        _subscribedTopics = [];
        _manual = false;
        SetAssignment([]);
    }

    private void Touch() => _lastRequest = time.GetTimestamp();
}

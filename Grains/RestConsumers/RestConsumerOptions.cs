namespace Tributary.Grains.RestConsumers;

/// <summary>How a consumer instance takes part in its group, with Kafka's consumer settings where they have a name.</summary>
public sealed record RestConsumerOptions
{
    /// <summary><c>session.timeout.ms</c>, which is also the rebalance timeout the instance joins with. Default 45 s.</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary><c>heartbeat.interval.ms</c>. Default 3 s.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long to wait before joining again after a JoinGroup error (coordinator not available, ...). Default 500 ms.</summary>
    public TimeSpan JoinRetryBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A pattern subscription looks for new matching topics every this many successful heartbeats. Default 5.</summary>
    public int PatternCheckHeartbeats { get; init; } = 5;
}

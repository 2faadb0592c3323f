namespace Tributary.Grains.Actors.Hosting;

/// <summary>REST Proxy settings, Confluent's by another name.</summary>
public sealed class RestProxyOptions
{
    /// <summary>The HTTP port of the REST Proxy's API (<c>--rest-port</c>); 0 turns the API off. Default 8082.</summary>
    public int Port { get; set; } = 8082;

    /// <summary><c>consumer.instance.timeout.ms</c>: a consumer instance without a request for this long is destroyed. Default 5 minutes.</summary>
    public TimeSpan ConsumerInstanceTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The session timeout a consumer instance joins its group with (Kafka's <c>session.timeout.ms</c>). Default 45 s.</summary>
    public TimeSpan ConsumerSessionTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>How often a consumer instance heartbeats (Kafka's <c>heartbeat.interval.ms</c>). Default 3 s.</summary>
    public TimeSpan ConsumerHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(3);
}

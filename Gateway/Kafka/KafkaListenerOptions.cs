namespace Tributary.Gateway.Kafka;

/// <summary>The Kafka listener (configuration section <c>Tributary:Kafka</c>).</summary>
public sealed class KafkaListenerOptions
{
    public const string Section = "Tributary:Kafka";

    /// <summary>Port the listener binds on all interfaces. Default 9092.</summary>
    public int Port { get; set; } = 9092;

    /// <summary>Host name clients are told to connect to (Kafka's <c>advertised.listeners</c>). Default <c>localhost</c>.</summary>
    public string AdvertisedHost { get; set; } = "localhost";

    /// <summary>Port clients are told to connect to, when it differs from <see cref="Port"/> (NAT, containers). Default: <see cref="Port"/>.</summary>
    public int? AdvertisedPort { get; set; }

    /// <summary>
    /// Kafka's <c>listeners</c>: <c>NAME://host:port</c>, comma-separated, an empty host for every interface (for example
    /// <c>PLAINTEXT://:9092,INTERNAL://:9094</c>). Unset: one PLAINTEXT listener on <see cref="Port"/>.
    /// </summary>
    public string? Listeners { get; set; }

    /// <summary>
    /// Kafka's <c>advertised.listeners</c>: the address clients are told for each listener, by name; a listener not
    /// named here is advertised at its own address (an empty host as <see cref="AdvertisedHost"/>). Metadata answers a
    /// client with the addresses of the listener it connected to.
    /// </summary>
    public string? AdvertisedListeners { get; set; }

    /// <summary>
    /// Kafka's <c>listener.security.protocol.map</c>: <c>NAME:PROTOCOL</c> pairs. Default: each of Kafka's protocol
    /// names (PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL) as the listener of that name.
    /// </summary>
    public string? ListenerSecurityProtocolMap { get; set; }

    /// <summary>
    /// Largest request frame accepted (Kafka's <c>socket.request.max.bytes</c>); a larger one closes the connection.
    /// Default 104857600 (100 MiB). The broker buffers up to this much per connection from untrusted clients.
    /// </summary>
    public int MaxRequestBytes { get; set; } = 100 * 1024 * 1024;

    /// <summary>
    /// Kafka's <c>queued.max.request.bytes</c>: the most bytes of requests that all connections of this silo hold at
    /// once, from reading a request's size to writing its response. When they are spent, connections stop reading new
    /// requests until responses free bytes (backpressure; nothing is refused); one request may go past the budget, so
    /// that a request larger than it is still served. 0 or less: no limit. Default 104857600 (100 MiB). Kafka's default
    /// is -1 (no limit), where <c>queued.max.requests</c> (500) bounds the requests instead; nothing bounds them here
    /// otherwise, and each connection reads ahead of the request it handles, so without this budget many clients
    /// could make the broker hold up to <see cref="MaxRequestBytes"/> several times per connection.
    /// </summary>
    public long QueuedMaxRequestBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Most concurrent client connections; more are refused. Default 10000.</summary>
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>
    /// Kafka's <c>auto.create.topics.enable</c>: Metadata creates a topic a client asks for, until a dynamic broker config
    /// changes it. Default true.
    /// </summary>
    public bool AutoCreateTopics { get; set; } = true;

    /// <summary>
    /// Whether clients of the message formats 0 and 1 are served, as Kafka 3.x serves them: Produce v0-v2, whose
    /// legacy message sets are converted to record batches on append, and Fetch v0-v3, whose records are converted
    /// down to the format of their version. False is Kafka 4's floor (KIP-896): Fetch starts at v4, and Produce v0-v2,
    /// which Kafka 4 still advertises so that older librdkafka versions keep their compression, are refused with
    /// UNSUPPORTED_VERSION. Default true: Kafka 3.9 is the behaviour served, and the old versions cost a modern
    /// client nothing, since it negotiates the newest.
    /// </summary>
    public bool AcceptOldMessageFormats { get; set; } = true;

    /// <summary>
    /// The most partitions one CreateTopics or CreatePartitions request may create, all its topics together; a larger
    /// request is refused whole with POLICY_VIOLATION, as Kafka refuses one over its fixed 10,000
    /// (<c>MAX_PARTITIONS_PER_BATCH</c>, KAFKA-17870 and KAFKA-19673). The REST Proxy's topic creation and growth are
    /// held to it too. Default 10,000.
    /// </summary>
    public int MaxPartitionsPerRequest { get; set; } = 10_000;

    /// <summary>
    /// Kafka's <c>controller_mutation_rate</c> quota for every client id that no quota entity of the cluster bounds
    /// (AlterClientQuotas sets those): partitions created or deleted per second (CreateTopics, CreatePartitions,
    /// DeleteTopics, and topics created by Metadata), with bursts of 11 seconds' worth; past it a request is refused with
    /// THROTTLING_QUOTA_EXCEEDED and the time to wait (<c>throttle_time_ms</c>). 0 or less: no such default (Kafka's
    /// default, where the quota is only set through AlterClientQuotas). Default 1000.
    /// </summary>
    public double ControllerMutationRate { get; set; } = 1000;

    /// <summary>
    /// Kafka's <c>quota.window.num</c>: how many windows the client quotas' rates cover (bytes produced and fetched,
    /// request time). Default 11. With the window size, how long a burst a new client gets before it is held to its rate.
    /// </summary>
    public int QuotaWindowNum { get; set; } = 11;

    /// <summary>Kafka's <c>quota.window.size.seconds</c>: the length of each window of the client quotas' rates. Default 1.</summary>
    public int QuotaWindowSizeSeconds { get; set; } = 1;

    public int EffectiveAdvertisedPort => AdvertisedPort ?? Port;
}

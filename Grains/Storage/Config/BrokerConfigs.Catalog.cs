using System.Globalization;

namespace Tributary.Grains.Storage.Config;

/// <summary>
/// The broker configs Kafka 3.9 defines and DescribeConfigs lists (KafkaConfig's definitions: the server, log,
/// cleaner, socket, replication, group, transaction, KRaft, metrics and the basic security settings), with Kafka's
/// types and defaults. <c>dynamic</c> marks those that can be changed at runtime here: the log configs that are topic
/// defaults, the cleaner's, <c>producer.id.expiration.ms</c>, the replication throttle rates, and <c>num.partitions</c>,
/// <c>default.replication.factor</c> and <c>auto.create.topics.enable</c> (static in Kafka). Kafka's other dynamic configs (thread pools, listeners,
/// connection limits, TLS) change nothing here and are read-only.
/// </summary>
public static partial class BrokerConfigs
{
    private const bool Dynamic = true;
    private const string LongMax = "9223372036854775807";
    private const string IntMax = "2147483647";

    private static BrokerConfigDefinition[] Catalog() =>
    [
        // The broker itself.
        new("broker.id", ConfigType.Int, "-1", "This broker's id; the same as node.id."),
        new("node.id", ConfigType.Int, "-1", "This node's id in the cluster."),
        new("broker.id.generation.enable", ConfigType.Boolean, "true", "Whether a broker without an id is given one."),
        new("reserved.broker.max.id", ConfigType.Int, "1000", "Largest id a broker may be configured with.", Rule: AtLeast(0)),
        new("broker.rack", ConfigType.String, null, "The rack of the broker, for rack-aware replica placement."),
        new("process.roles", ConfigType.List, "", "The roles of this node: broker, controller or both.", Rule: ListOf("broker", "controller")),
        new("controller.listener.names", ConfigType.String, null, "The listeners the controller uses."),
        new("message.max.bytes", ConfigType.Int, "1048588", "Largest record batch size allowed; the default of max.message.bytes for topics.", Dynamic, AtLeast(0)),
        new("num.io.threads", ConfigType.Int, "8", "Threads that process requests.", Rule: AtLeast(1)),
        new("num.network.threads", ConfigType.Int, "3", "Threads that receive requests and send responses.", Rule: AtLeast(1)),
        new("background.threads", ConfigType.Int, "10", "Threads for background work.", Rule: AtLeast(1)),
        new("num.replica.fetchers", ConfigType.Int, "1", "Threads that fetch from leaders on a follower."),
        new("num.recovery.threads.per.data.dir", ConfigType.Int, "1", "Threads per data directory that recover logs at start-up.", Rule: AtLeast(1)),
        new("num.replica.alter.log.dirs.threads", ConfigType.Int, null, "Threads that move replicas between log directories."),
        new("queued.max.requests", ConfigType.Int, "500", "Requests queued before the network threads stop reading.", Rule: AtLeast(1)),
        new("queued.max.request.bytes", ConfigType.Long, "-1", "Bytes of queued requests before no more are read; -1 means no limit."),
        new("request.timeout.ms", ConfigType.Int, "30000", "How long the broker's own requests wait for a response."),
        new("socket.connection.setup.timeout.ms", ConfigType.Long, "10000", "How long the broker's own connections take to set up."),
        new("socket.connection.setup.timeout.max.ms", ConfigType.Long, "30000", "Longest connection setup timeout after backing off."),
        new("delete.topic.enable", ConfigType.Boolean, "true", "Whether topics may be deleted."),
        new("compression.type", ConfigType.String, "producer", "Default final compression of topics' batches; producer keeps the producer's codec.",
            Dynamic, OneOf("uncompressed", "zstd", "lz4", "snappy", "gzip", "producer")),
        new("compression.gzip.level", ConfigType.Int, "-1", "Default gzip compression level of topics.", Dynamic,
            v => Int(v) is -1 or (>= 1 and <= 9) ? null : "Value must be -1 or in [1, 9]"),
        new("compression.lz4.level", ConfigType.Int, "9", "Default lz4 compression level of topics.", Dynamic, Between(1, 17)),
        new("compression.zstd.level", ConfigType.Int, "3", "Default zstd compression level of topics.", Dynamic, Between(-131072, 22)),
        new(ControlledShutdownEnable, ConfigType.Boolean, "true", "Whether the broker hands its leaderships over and leaves the ISRs before it stops."),
        new(ControlledShutdownMaxRetries, ConfigType.Int, "3", "Attempts of a controlled shutdown for the topics that did not answer.", Rule: AtLeast(1)),
        new(ControlledShutdownRetryBackoffMs, ConfigType.Long, "5000", "Wait between attempts of a controlled shutdown.", Rule: AtLeast(0)),
        new("max.incremental.fetch.session.cache.slots", ConfigType.Int, "1000", "Incremental fetch sessions the broker keeps.", Rule: AtLeast(0)),
        new("fetch.max.bytes", ConfigType.Int, "57671680", "Most bytes one fetch response returns.", Rule: AtLeast(1024)),
        new("max.request.partition.size.limit", ConfigType.Int, "2000", "Most partitions one request may name.", Rule: AtLeast(1)),
        new("authorizer.class.name", ConfigType.String, "", "The authorizer's class; empty means none."),
        new("early.start.listeners", ConfigType.String, null, "Listeners started before the authorizer is ready."),
        new("auto.create.topics.enable", ConfigType.Boolean, "true", "Whether a Metadata request for an unknown topic creates it.", Dynamic),
        new("num.partitions", ConfigType.Int, "1", "Partitions of a topic created without a partition count (auto-created ones included).", Dynamic, AtLeast(1)),
        new("default.replication.factor", ConfigType.Int, "1", "Replication factor of a topic created without one (auto-created ones included).", Dynamic, AtLeast(1)),
        new("min.insync.replicas", ConfigType.Int, "1", "Default in-sync replicas needed for acks=all.", Dynamic, AtLeast(1)),
        new("unclean.leader.election.enable", ConfigType.Boolean, "false", "Default of whether an out-of-sync replica may become leader.", Dynamic),

        // Replication.
        new("auto.leader.rebalance.enable", ConfigType.Boolean, "true", "Whether leadership moves back to preferred replicas."),
        new("leader.imbalance.per.broker.percentage", ConfigType.Int, "10", "Leader imbalance allowed per broker, in per cent."),
        new("leader.imbalance.check.interval.seconds", ConfigType.Long, "300", "How often leader imbalance is checked.", Rule: AtLeast(1)),
        new("replica.lag.time.max.ms", ConfigType.Long, "30000", "How long a follower may lag before it leaves the in-sync replicas."),
        new("replica.fetch.max.bytes", ConfigType.Int, "1048576", "Bytes a follower fetches per partition.", Rule: AtLeast(0)),
        new("replica.fetch.wait.max.ms", ConfigType.Int, "500", "Longest wait of a follower's fetch."),
        new("replica.fetch.min.bytes", ConfigType.Int, "1", "Fewest bytes a follower's fetch waits for."),
        new("replica.fetch.backoff.ms", ConfigType.Int, "1000", "Wait after a follower's fetch failed.", Rule: AtLeast(0)),
        new("replica.fetch.response.max.bytes", ConfigType.Int, "10485760", "Most bytes of a follower's fetch response.", Rule: AtLeast(0)),
        new("replica.socket.timeout.ms", ConfigType.Int, "30000", "Socket timeout of followers' requests."),
        new("replica.socket.receive.buffer.bytes", ConfigType.Int, "65536", "Socket receive buffer of followers' connections."),
        new("replica.high.watermark.checkpoint.interval.ms", ConfigType.Long, "5000", "How often high watermarks are saved."),
        new(LeaderReplicationThrottledRate, ConfigType.Long, LongMax,
            "Bytes per second that a leader sends to catching-up followers of the replicas its topics' leader.replication.throttled.replicas name.", Dynamic, AtLeast(0)),
        new(FollowerReplicationThrottledRate, ConfigType.Long, LongMax,
            "Bytes per second that a catching-up follower fetches for the replicas its topics' follower.replication.throttled.replicas name.", Dynamic, AtLeast(0)),
        new(ReplicationQuotaWindowNum, ConfigType.Int, "11", "Samples a replication throttle's rate is measured over.", Rule: AtLeast(1)),
        new(ReplicationQuotaWindowSizeSeconds, ConfigType.Int, "1", "Length of each sample of a replication throttle's rate.", Rule: AtLeast(1)),
        new("replica.selector.class", ConfigType.String, null, "Chooses the replica a consumer fetches from."),
        new("inter.broker.listener.name", ConfigType.String, null, "The listener brokers use among themselves."),
        new("security.inter.broker.protocol", ConfigType.String, "PLAINTEXT", "Security protocol brokers use among themselves.",
            Rule: OneOf("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")),
        new("inter.broker.protocol.version", ConfigType.String, "3.9-IV0", "The protocol version brokers use among themselves."),
        new("fetch.purgatory.purge.interval.requests", ConfigType.Int, "1000", "Completed fetch requests between purges of the fetch purgatory."),
        new("producer.purgatory.purge.interval.requests", ConfigType.Int, "1000", "Completed produce requests between purges of the produce purgatory."),
        new("delete.records.purgatory.purge.interval.requests", ConfigType.Int, "1", "Completed delete-records requests between purges."),

        // The socket server.
        new("listeners", ConfigType.String, "PLAINTEXT://:9092", "The addresses the broker listens on."),
        new("advertised.listeners", ConfigType.String, null, "The addresses clients are told to connect to."),
        new("listener.security.protocol.map", ConfigType.String, "SASL_SSL:SASL_SSL,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT",
            "Security protocol of each listener name."),
        new("socket.send.buffer.bytes", ConfigType.Int, "102400", "Socket send buffer; -1 leaves the system's."),
        new("socket.receive.buffer.bytes", ConfigType.Int, "102400", "Socket receive buffer; -1 leaves the system's."),
        new("socket.request.max.bytes", ConfigType.Int, "104857600", "Largest request accepted; a larger one closes the connection.", Rule: AtLeast(1)),
        new("socket.listen.backlog.size", ConfigType.Int, "50", "Pending connections the listening socket queues.", Rule: AtLeast(1)),
        new("max.connections", ConfigType.Int, IntMax, "Most connections the broker accepts.", Rule: AtLeast(0)),
        new("max.connections.per.ip", ConfigType.Int, IntMax, "Most connections from one address.", Rule: AtLeast(0)),
        new("max.connections.per.ip.overrides", ConfigType.String, "", "Per-address exceptions to max.connections.per.ip."),
        new("max.connection.creation.rate", ConfigType.Int, IntMax, "Most new connections per second.", Rule: AtLeast(0)),
        new("connections.max.idle.ms", ConfigType.Long, "600000", "Idle connections are closed after this long."),
        new("connection.failed.authentication.delay.ms", ConfigType.Int, "100", "Delay before closing a connection that failed to authenticate.", Rule: AtLeast(0)),

        // The log: where it lives, and the defaults of topics' configs.
        new("log.dir", ConfigType.String, "/tmp/kafka-logs", "The directory of the logs, when log.dirs is not set."),
        new("log.dirs", ConfigType.String, null, "The directories of the logs."),
        new("log.segment.bytes", ConfigType.Int, "1073741824", "Default segment file size of topics (segment.bytes).", Dynamic, AtLeast(14)),
        new("log.roll.ms", ConfigType.Long, null, "Default of segment.ms in milliseconds; log.roll.hours when not set.", Dynamic, AtLeast(1)),
        new("log.roll.hours", ConfigType.Int, "168", "Default of segment.ms in hours.", Rule: AtLeast(1)),
        new("log.roll.jitter.ms", ConfigType.Long, null, "Default of segment.jitter.ms in milliseconds; log.roll.jitter.hours when not set.", Dynamic, AtLeast(0)),
        new("log.roll.jitter.hours", ConfigType.Int, "0", "Default of segment.jitter.ms in hours.", Rule: AtLeast(0)),
        new("log.retention.ms", ConfigType.Long, null, "Default of retention.ms; log.retention.minutes, then log.retention.hours, when not set. -1 keeps forever.", Dynamic),
        new("log.retention.minutes", ConfigType.Int, null, "Default of retention.ms in minutes; log.retention.hours when not set."),
        new("log.retention.hours", ConfigType.Int, "168", "Default of retention.ms in hours."),
        new("log.retention.bytes", ConfigType.Long, "-1", "Default of retention.bytes; -1 means no limit.", Dynamic),
        new("log.retention.check.interval.ms", ConfigType.Long, "300000", "How often retention runs.", Rule: AtLeast(1)),
        new("log.cleanup.policy", ConfigType.List, "delete", "Default of cleanup.policy: delete, compact or both.", Dynamic, ListOf("compact", "delete")),
        new("log.index.size.max.bytes", ConfigType.Int, "10485760", "Default of segment.index.bytes.", Dynamic, AtLeast(4)),
        new("log.index.interval.bytes", ConfigType.Int, "4096", "Default of index.interval.bytes.", Dynamic, AtLeast(0)),
        new("log.flush.interval.messages", ConfigType.Long, LongMax, "Default of flush.messages.", Dynamic, AtLeast(1)),
        new("log.flush.interval.ms", ConfigType.Long, null, "Default of flush.ms; log.flush.scheduler.interval.ms when not set.", Dynamic),
        new("log.flush.scheduler.interval.ms", ConfigType.Long, LongMax, "How often logs are checked for a flush; also the default of flush.ms."),
        new("log.flush.offset.checkpoint.interval.ms", ConfigType.Int, "60000", "How often recovery points are saved.", Rule: AtLeast(0)),
        new("log.flush.start.offset.checkpoint.interval.ms", ConfigType.Int, "60000", "How often log start offsets are saved.", Rule: AtLeast(0)),
        new("log.segment.delete.delay.ms", ConfigType.Long, "60000", "Default of file.delete.delay.ms.", Dynamic, AtLeast(0)),
        new("log.preallocate", ConfigType.Boolean, "false", "Default of preallocate.", Dynamic),
        new("log.message.format.version", ConfigType.String, "3.0-IV1", "Deprecated message format version."),
        new("log.message.timestamp.type", ConfigType.String, "CreateTime", "Default of message.timestamp.type.", Dynamic, OneOf("CreateTime", "LogAppendTime")),
        new("log.message.timestamp.difference.max.ms", ConfigType.Long, LongMax, "Default of message.timestamp.difference.max.ms.", Dynamic, AtLeast(0)),
        new("log.message.timestamp.before.max.ms", ConfigType.Long, LongMax, "Default of message.timestamp.before.max.ms.", Dynamic, AtLeast(0)),
        new("log.message.timestamp.after.max.ms", ConfigType.Long, LongMax, "Default of message.timestamp.after.max.ms.", Dynamic, AtLeast(0)),
        new("log.message.downconversion.enable", ConfigType.Boolean, "true", "Default of message.downconversion.enable.", Dynamic),
        new("log.local.retention.ms", ConfigType.Long, "-2", "Default of local.retention.ms (tiered storage).", Dynamic, AtLeast(-2)),
        new("log.local.retention.bytes", ConfigType.Long, "-2", "Default of local.retention.bytes (tiered storage).", Dynamic, AtLeast(-2)),
        new("log.dir.failure.timeout.ms", ConfigType.Long, "30000", "How long a failed log directory may stay before the broker stops.", Rule: AtLeast(1)),
        new("remote.log.storage.system.enable", ConfigType.Boolean, "false", "Whether tiered storage is enabled."),
        new("create.topic.policy.class.name", ConfigType.Class, null, "Policy that validates topic creation."),
        new("alter.config.policy.class.name", ConfigType.Class, null, "Policy that validates config changes."),

        // The log cleaner (compaction).
        new("log.cleaner.enable", ConfigType.Boolean, "true", "Whether the log cleaner runs."),
        new("log.cleaner.threads", ConfigType.Int, "1", "Threads of the log cleaner.", Dynamic, AtLeast(0)),
        new("log.cleaner.io.max.bytes.per.second", ConfigType.Double, "1.7976931348623157E308", "I/O the cleaner may use, in bytes per second.", Dynamic),
        new("log.cleaner.dedupe.buffer.size", ConfigType.Long, "134217728", "Memory of the cleaner's deduplication buffers.", Dynamic),
        new("log.cleaner.io.buffer.size", ConfigType.Int, "524288", "Memory of the cleaner's I/O buffers.", Dynamic, AtLeast(0)),
        new("log.cleaner.io.buffer.load.factor", ConfigType.Double, "0.9", "Load factor of the cleaner's deduplication buffer.", Dynamic),
        new("log.cleaner.backoff.ms", ConfigType.Long, "15000", "Sleep of the cleaner when there is nothing to clean.", Dynamic, AtLeast(0)),
        new("log.cleaner.min.cleanable.ratio", ConfigType.Double, "0.5", "Default of min.cleanable.dirty.ratio.", Dynamic, Between(0, 1)),
        new("log.cleaner.delete.retention.ms", ConfigType.Long, "86400000", "Default of delete.retention.ms.", Dynamic, AtLeast(0)),
        new("log.cleaner.min.compaction.lag.ms", ConfigType.Long, "0", "Default of min.compaction.lag.ms.", Dynamic, AtLeast(0)),
        new("log.cleaner.max.compaction.lag.ms", ConfigType.Long, LongMax, "Default of max.compaction.lag.ms.", Dynamic, AtLeast(1)),

        // Consumer groups and their offsets.
        new("group.min.session.timeout.ms", ConfigType.Int, "6000", "Shortest session timeout a member may ask for."),
        new("group.max.session.timeout.ms", ConfigType.Int, "1800000", "Longest session timeout a member may ask for."),
        new("group.initial.rebalance.delay.ms", ConfigType.Int, "3000", "How long a new group waits for more members before its first rebalance."),
        new("group.max.size", ConfigType.Int, IntMax, "Most members of a classic group.", Rule: AtLeast(1)),
        new("group.coordinator.rebalance.protocols", ConfigType.List, "classic,consumer", "The group protocols the coordinator serves."),
        new("group.coordinator.threads", ConfigType.Int, "1", "Threads of the group coordinator.", Rule: AtLeast(1)),
        new("group.coordinator.append.linger.ms", ConfigType.Int, "10", "How long the coordinator batches its writes.", Rule: AtLeast(0)),
        new("group.consumer.session.timeout.ms", ConfigType.Int, "45000", "Session timeout of consumer-protocol groups.", Rule: AtLeast(1)),
        new("group.consumer.heartbeat.interval.ms", ConfigType.Int, "5000", "Heartbeat interval of consumer-protocol groups.", Rule: AtLeast(1)),
        new("offset.metadata.max.bytes", ConfigType.Int, "4096", "Largest metadata of a committed offset."),
        new("offsets.load.buffer.size", ConfigType.Int, "5242880", "Read buffer when offsets are loaded.", Rule: AtLeast(1)),
        new("offsets.topic.replication.factor", ConfigType.Short, "3", "Replication factor of the offsets topic.", Rule: AtLeast(1)),
        new("offsets.topic.num.partitions", ConfigType.Int, "50", "Partitions of the offsets topic.", Rule: AtLeast(1)),
        new("offsets.topic.segment.bytes", ConfigType.Int, "104857600", "Segment size of the offsets topic.", Rule: AtLeast(1)),
        new("offsets.topic.compression.codec", ConfigType.Int, "0", "Compression of the offsets topic."),
        new("offsets.retention.minutes", ConfigType.Int, "10080", "How long committed offsets of an empty group are kept.", Rule: AtLeast(1)),
        new("offsets.retention.check.interval.ms", ConfigType.Long, "600000", "How often expired offsets are looked for.", Rule: AtLeast(1)),
        new("offsets.commit.timeout.ms", ConfigType.Int, "5000", "How long an offset commit waits to be stored.", Rule: AtLeast(1)),

        // Idempotent and transactional producers.
        new("transaction.state.log.num.partitions", ConfigType.Int, "50", "Partitions of the transaction log.", Rule: AtLeast(1)),
        new("transaction.state.log.segment.bytes", ConfigType.Int, "104857600", "Segment size of the transaction log.", Rule: AtLeast(1)),
        new("transaction.state.log.replication.factor", ConfigType.Short, "3", "Replication factor of the transaction log.", Rule: AtLeast(1)),
        new("transaction.state.log.min.isr", ConfigType.Int, "2", "min.insync.replicas of the transaction log.", Rule: AtLeast(1)),
        new("transaction.state.log.load.buffer.size", ConfigType.Int, "5242880", "Read buffer when the transaction log is loaded.", Rule: AtLeast(1)),
        new("transaction.partition.verification.enable", ConfigType.Boolean, "true", "Whether a partition checks with the coordinator before a transaction starts on it."),
        new("producer.id.expiration.ms", ConfigType.Int, "86400000", "How long a producer id's state is kept after its last write.", Dynamic, AtLeast(1)),
        new("producer.id.expiration.check.interval.ms", ConfigType.Int, "600000", "How often expired producer ids are removed.", Rule: AtLeast(1)),
        new("transaction.max.timeout.ms", ConfigType.Int, "900000", "Longest transaction timeout a producer may ask for.", Rule: AtLeast(1)),
        new("transactional.id.expiration.ms", ConfigType.Int, "604800000", "How long an idle transactional id is kept.", Rule: AtLeast(1)),
        new("transaction.abort.timed.out.transaction.cleanup.interval.ms", ConfigType.Int, "10000", "How often timed-out transactions are aborted.", Rule: AtLeast(1)),
        new("transaction.remove.expired.transaction.cleanup.interval.ms", ConfigType.Int, "3600000", "How often expired transactional ids are removed.", Rule: AtLeast(1)),

        // KRaft metadata.
        new("metadata.log.dir", ConfigType.String, null, "Where the metadata log lives; the first log directory when not set."),
        new("metadata.log.segment.bytes", ConfigType.Int, "1073741824", "Segment size of the metadata log."),
        new("metadata.log.segment.ms", ConfigType.Long, "604800000", "Segment age of the metadata log."),
        new("metadata.max.retention.bytes", ConfigType.Long, "104857600", "Size of metadata snapshots and log kept."),
        new("metadata.max.retention.ms", ConfigType.Long, "604800000", "Age of metadata snapshots kept."),
        new("broker.heartbeat.interval.ms", ConfigType.Int, "2000", "Interval of a broker's heartbeats to the controller."),
        new("broker.session.timeout.ms", ConfigType.Int, "9000", "How long a broker without heartbeats stays registered."),
        new("initial.broker.registration.timeout.ms", ConfigType.Int, "60000", "How long a starting broker waits to register."),

        // Metrics and security.
        new("metric.reporters", ConfigType.List, "", "Classes that receive the broker's metrics."),
        new("metrics.num.samples", ConfigType.Int, "2", "Samples kept per metric.", Rule: AtLeast(1)),
        new("metrics.sample.window.ms", ConfigType.Long, "30000", "Window of a metric sample.", Rule: AtLeast(1)),
        new("metrics.recording.level", ConfigType.String, "INFO", "Level of the metrics recorded.", Rule: OneOf("INFO", "DEBUG", "TRACE")),
        new("principal.builder.class", ConfigType.Class, "org.apache.kafka.common.security.authenticator.DefaultKafkaPrincipalBuilder",
            "Builds the principal of a connection."),
        new("sasl.enabled.mechanisms", ConfigType.List, "GSSAPI", "The SASL mechanisms served."),
        new("sasl.mechanism.inter.broker.protocol", ConfigType.String, "GSSAPI", "The SASL mechanism brokers use among themselves."),
        new("ssl.client.auth", ConfigType.String, "none", "Whether TLS clients must authenticate.", Rule: OneOf("required", "requested", "none")),
        new("ssl.protocol", ConfigType.String, "TLSv1.3", "The TLS protocol."),
        new("ssl.keystore.type", ConfigType.String, "JKS", "The format of the key store."),
        new("ssl.keystore.password", ConfigType.Password, null, "The key store's password."),
        new("ssl.key.password", ConfigType.Password, null, "The private key's password."),
        new("ssl.truststore.password", ConfigType.Password, null, "The trust store's password."),
    ];

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);

    private static Func<string, string?> AtLeast(long minimum) =>
        v => long.Parse(v, CultureInfo.InvariantCulture) >= minimum ? null : $"Value must be at least {minimum}";

    private static Func<string, string?> Between(double minimum, double maximum) => v =>
    {
        var value = double.Parse(v, CultureInfo.InvariantCulture);
        return value < minimum ? $"Value must be at least {minimum.ToString(CultureInfo.InvariantCulture)}"
            : value > maximum ? $"Value must be no more than {maximum.ToString(CultureInfo.InvariantCulture)}"
            : null;
    };

    private static Func<string, string?> OneOf(params string[] allowed) =>
        v => allowed.Contains(v, StringComparer.Ordinal) ? null : $"String must be one of: {string.Join(", ", allowed)}";

    private static Func<string, string?> ListOf(params string[] allowed) =>
        v => SplitList(v).All(item => allowed.Contains(item, StringComparer.Ordinal)) ? null : $"String must be one of: {string.Join(", ", allowed)}";
}

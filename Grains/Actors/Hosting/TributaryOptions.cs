using Tributary.Grains.Storage;

namespace Tributary.Grains.Actors.Hosting;

/// <summary>The settings of one Tributary broker (section <c>Tributary</c> of the configuration).</summary>
public sealed class TributaryOptions
{
    public const string Section = "Tributary";

    /// <summary>Where partition logs and control-plane state live. Default <c>./data</c>.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>This broker's id, as Kafka clients see it (<c>node.id</c>). Unique in a cluster. Default 1.</summary>
    public int BrokerId { get; set; } = 1;

    /// <summary>
    /// Partitions of a topic created with -1 partitions (Kafka's <c>num.partitions</c>), until a dynamic broker config
    /// changes it. Default 1.
    /// </summary>
    public int DefaultPartitions { get; set; } = 1;

    /// <summary>
    /// Replicas of each partition of a topic created without a replication factor (Kafka's
    /// <c>default.replication.factor</c>), until a dynamic broker config changes it. Default 1.
    /// </summary>
    public int DefaultReplicationFactor { get; set; } = 1;

    /// <summary>
    /// The in-sync replicas an acks=all produce needs, for topics that do not set their own (Kafka's broker default
    /// <c>min.insync.replicas</c>), until a dynamic broker config changes it. Default 1.
    /// </summary>
    public int MinInSyncReplicas { get; set; } = 1;

    /// <summary>
    /// Whether leadership moves back to preferred replicas once they are back in sync (Kafka's
    /// <c>auto.leader.rebalance.enable</c>), checked every <see cref="LeaderImbalanceCheckInterval"/> (Kafka's
    /// <c>leader.imbalance.check.interval.seconds</c>). Default on, every 5 minutes.
    /// </summary>
    public bool AutoLeaderRebalance { get; set; } = true;

    public TimeSpan LeaderImbalanceCheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The cluster's replica balancing (<c>Tributary:Cluster:AutoBalance</c> and its settings).</summary>
    public ClusterBalanceOptions Cluster { get; set; } = new();

    /// <summary>
    /// The rack (or availability zone) of this broker (Kafka's <c>broker.rack</c>): replicas of a partition are placed on
    /// brokers of different racks while there are racks without one. Default none.
    /// </summary>
    public string? Rack { get; set; }

    /// <summary>
    /// How long a partition stays open with nothing to do before its grain deactivates and its files close.
    /// Default 10 minutes.
    /// </summary>
    public TimeSpan PartitionIdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often retention runs over this broker's partitions (Kafka's <c>log.retention.check.interval.ms</c>). Default 5 minutes.</summary>
    public TimeSpan RetentionCheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often an open partition checks <c>flush.ms</c> and its producers' expiry. Default 30 seconds.</summary>
    public TimeSpan FlushCheckInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often every open log with new appends is flushed and its recovery checkpoint moved to its end (Kafka's
    /// <c>log.flush.offset.checkpoint.interval.ms</c>), which bounds what recovery validates after a crash: at most
    /// this long's writes per partition. Logs are also checkpointed when a segment rolls and when they close.
    /// Default 60 seconds (Kafka's).
    /// </summary>
    public TimeSpan LogFlushOffsetCheckpointInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Threads that recover logs after a crash and close them at shutdown (Kafka's
    /// <c>num.recovery.threads.per.data.dir</c>, whose default is 1). Default 4.
    /// </summary>
    public int NumRecoveryThreadsPerDataDir { get; set; } = LogManager.DefaultRecoveryThreads;

    /// <summary>What one client may make the cluster hold (section <c>Tributary:Limits</c>).</summary>
    public LimitsOptions Limits { get; set; } = new();

    /// <summary>The consumer group coordinator (section <c>Tributary:Groups</c>).</summary>
    public GroupCoordinatorOptions Groups { get; set; } = new();

    /// <summary>Idempotent and transactional producers (section <c>Tributary:Transactions</c>).</summary>
    public TransactionCoordinatorOptions Transactions { get; set; } = new();

    /// <summary>The Schema Registry (section <c>Tributary:SchemaRegistry</c>).</summary>
    public SchemaRegistryOptions SchemaRegistry { get; set; } = new();

    /// <summary>The REST Proxy (section <c>Tributary:RestProxy</c>).</summary>
    public RestProxyOptions RestProxy { get; set; } = new();

    /// <summary>Connect's workers (section <c>Tributary:Connect</c>).</summary>
    public ConnectWorkerOptions Connect { get; set; } = new();

    /// <summary>The silo's metrics (section <c>Tributary:Metrics</c>).</summary>
    public MetricsOptions Metrics { get; set; } = new();

    public string PartitionDataDirectory => Path.GetFullPath(DataDirectory);

    /// <summary>
    /// Where the file grain storage keeps control-plane state. Default: <c>.grain-state</c> inside
    /// <see cref="DataDirectory"/>, a name no partition directory can have.
    /// </summary>
    public string? GrainStateDirectory { get; set; }

    public string ResolvedGrainStateDirectory =>
        Path.GetFullPath(GrainStateDirectory ?? Path.Combine(PartitionDataDirectory, ".grain-state"));
}

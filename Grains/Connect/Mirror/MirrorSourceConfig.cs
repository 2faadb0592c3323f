using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Mirror.Policies;
using Tributary.Grains.Connect.Mirror.Topics;

namespace Tributary.Grains.Connect.Mirror;

/// <summary>
/// The MirrorSource connector's configuration (Kafka's <c>MirrorSourceConfig</c> and <c>MirrorConnectorConfig</c>), the
/// part Tributary acts on: cluster aliases and addresses, topic selection, naming, topic creation and refresh. Client
/// settings for both clusters are read by <see cref="MirrorClientConfigs"/>.
/// </summary>
public sealed class MirrorSourceConfig
{
    public const string Enabled = "enabled";
    public const string SourceClusterAlias = "source.cluster.alias";
    public const string TargetClusterAlias = "target.cluster.alias";
    public const string SourceBootstrapServers = "source.cluster.bootstrap.servers";
    public const string TargetBootstrapServers = "target.cluster.bootstrap.servers";
    public const string ReplicationPolicyClass = "replication.policy.class";
    public const string ReplicationPolicySeparator = "replication.policy.separator";
    public const string InternalTopicSeparatorEnabled = "replication.policy.internal.topic.separator.enabled";
    public const string AdminTimeoutMs = "admin.timeout.ms";
    public const string Topics = "topics";
    public const string TopicsExclude = "topics.exclude";
    public const string ConfigPropertiesExclude = "config.properties.exclude";
    public const string ConsumerPollTimeoutMs = "consumer.poll.timeout.ms";
    public const string RefreshTopicsEnabled = "refresh.topics.enabled";
    public const string RefreshTopicsIntervalSeconds = "refresh.topics.interval.seconds";
    public const string SyncTopicConfigsEnabled = "sync.topic.configs.enabled";
    public const string SyncTopicAclsEnabled = "sync.topic.acls.enabled";
    public const string EmitOffsetSyncsEnabled = "emit.offset-syncs.enabled";
    public const string HeartbeatsReplicationEnabled = "heartbeats.replication.enabled";
    public const string ReplicationFactor = "replication.factor";
    public const string TaskAssignedPartitions = "task.assigned.partitions";
    public const string TaskIndex = "task.index";

    private const string Group = "Mirror";

    /// <summary>The connector's keys, as <c>/connector-plugins/MirrorSourceConnector/config</c> lists them.</summary>
    public static readonly ConfigDef Definition = new ConfigDef()
        .Define(Enabled, ConfigType.Boolean, Importance.Low, "Whether to replicate source->target.", defaultValue: true, group: Group)
        .Define(SourceClusterAlias, ConfigType.String, Importance.High, "Alias of source cluster", required: true,
            validator: Validators.All(Validators.NonNull, Validators.NonEmptyString), group: Group)
        .Define(TargetClusterAlias, ConfigType.String, Importance.High, "Alias of target cluster. Used in metrics reporting.",
            defaultValue: "target", validator: Validators.NonEmptyString, group: Group)
        .Define(SourceBootstrapServers, ConfigType.String, Importance.High,
            "The source cluster's bootstrap servers (host:port,...). Other 'source.cluster.*' client settings (security.protocol, sasl.*, ssl.*) " +
            "go to every client of the source cluster, 'source.consumer.*' to the replication consumer and 'source.admin.*' to the admin client.",
            required: true, validator: Validators.All(Validators.NonNull, Validators.NonEmptyString), group: Group)
        .Define(TargetBootstrapServers, ConfigType.String, Importance.High,
            "The target cluster's bootstrap servers: this Tributary cluster's Kafka listener, where remote topics are created with the source's " +
            "partition count and configs. 'target.cluster.*' and 'target.admin.*' client settings go to its admin client.",
            required: true, validator: Validators.All(Validators.NonNull, Validators.NonEmptyString), group: Group)
        .Define(ReplicationPolicyClass, ConfigType.Class, Importance.Low, "Class which defines the remote topic naming convention.",
            defaultValue: DefaultReplicationPolicy.ClassName, validator: ReplicationPolicies.Validator, group: Group)
        .Define(ReplicationPolicySeparator, ConfigType.String, Importance.Low, "Separator used in remote topic naming convention.",
            defaultValue: DefaultReplicationPolicy.DefaultSeparator, group: Group)
        .Define(InternalTopicSeparatorEnabled, ConfigType.Boolean, Importance.Low,
            "Whether to use replication.policy.separator to control the names of topics used for checkpoints and offset syncs.",
            defaultValue: true, group: Group)
        .Define(AdminTimeoutMs, ConfigType.Long, Importance.Low, "Timeout for administrative tasks, e.g. detecting new topics.",
            defaultValue: 60_000L, validator: Validators.AtLeast(1), group: Group)
        .Define(Topics, ConfigType.List, Importance.High, "Topics to replicate. Supports comma-separated topic names and regexes.",
            defaultValue: TopicFilter.IncludeDefault, validator: PatternList.Validator, group: Group)
        .Define(TopicsExclude, ConfigType.List, Importance.High,
            "Excluded topics. Supports comma-separated topic names and regexes. Excludes take precedence over includes.",
            defaultValue: TopicFilter.ExcludeDefault, validator: PatternList.Validator, group: Group)
        .Define(ConfigPropertiesExclude, ConfigType.List, Importance.High,
            "Topic config properties that should not be replicated. Supports comma-separated property names and regexes.",
            defaultValue: TopicConfigFilter.ExcludeDefault, validator: PatternList.Validator, group: Group)
        .Define(ConsumerPollTimeoutMs, ConfigType.Long, Importance.Low, "Timeout when polling source cluster.",
            defaultValue: 1000L, validator: Validators.AtLeast(1), group: Group)
        .Define(RefreshTopicsEnabled, ConfigType.Boolean, Importance.Low, "Whether to periodically check for new topics and partitions.",
            defaultValue: true, group: Group)
        .Define(RefreshTopicsIntervalSeconds, ConfigType.Long, Importance.Low, "Frequency of topic refresh.",
            defaultValue: 600L, validator: Validators.AtLeast(1), group: Group)
        .Define(SyncTopicConfigsEnabled, ConfigType.Boolean, Importance.Low,
            "Whether remote topics are created with their source topic's non-default configs. Unlike Kafka, configs are copied when a " +
            "remote topic is created, not kept in sync afterwards.",
            defaultValue: true, group: Group)
        .Define(SyncTopicAclsEnabled, ConfigType.Boolean, Importance.Low,
            "Accepted for compatibility with MirrorMaker configurations; ACLs are not synced.", defaultValue: true, group: Group)
        .Define(EmitOffsetSyncsEnabled, ConfigType.Boolean, Importance.Low,
            "Accepted for compatibility with MirrorMaker configurations; no offset-syncs topic is written (there is no MirrorCheckpointConnector).",
            defaultValue: true, group: Group)
        .Define(HeartbeatsReplicationEnabled, ConfigType.Boolean, Importance.Low,
            "Whether to replicate the heartbeats topics even when the topic filter does not include them.", defaultValue: true, group: Group)
        .Define(ReplicationFactor, ConfigType.Int, Importance.Low,
            "Replication factor for newly created remote topics; -1 for the target cluster's default.",
            defaultValue: 2, validator: Validators.From(EnsureReplicationFactor, "-1 or [1,...]"), group: Group);

    /// <summary>A task's keys: the connector's and the partitions it was given.</summary>
    public static readonly ConfigDef TaskDefinition = new ConfigDef()
        .Include(Definition)
        .Define(TaskAssignedPartitions, ConfigType.List, Importance.Low, "Topic-partitions assigned to this task to replicate.",
            defaultValue: "", @internal: true)
        .Define(TaskIndex, ConfigType.Int, Importance.Low, "The index of the task", defaultValue: 0, @internal: true);

    private MirrorSourceConfig(ParsedConfig parsed)
    {
        Parsed = parsed;
        SourceAlias = parsed.GetString(SourceClusterAlias)!;
        TargetAlias = parsed.GetString(TargetClusterAlias)!;
        Policy = ReplicationPolicies.Create(
            parsed.GetString(ReplicationPolicyClass)!, parsed.GetString(ReplicationPolicySeparator) ?? DefaultReplicationPolicy.DefaultSeparator,
            parsed.GetBoolean(InternalTopicSeparatorEnabled), SourceAlias);
        TopicFilter = new TopicFilter(parsed.GetList(Topics), parsed.GetList(TopicsExclude));
        ConfigFilter = new TopicConfigFilter(parsed.GetList(ConfigPropertiesExclude));
        Clients = new MirrorClientConfigs(parsed.Originals, SourceAlias, TargetAlias);
    }

    public ParsedConfig Parsed { get; }

    public bool IsEnabled => Parsed.GetBoolean(Enabled);

    public string SourceAlias { get; }

    public string TargetAlias { get; }

    public IReplicationPolicy Policy { get; }

    internal TopicFilter TopicFilter { get; }

    internal TopicConfigFilter ConfigFilter { get; }

    internal MirrorClientConfigs Clients { get; }

    public TimeSpan AdminTimeout => TimeSpan.FromMilliseconds(Parsed.GetLong(AdminTimeoutMs));

    public TimeSpan PollTimeout => TimeSpan.FromMilliseconds(Parsed.GetLong(ConsumerPollTimeoutMs));

    /// <summary>How often topics are looked for again; null when refreshing is off.</summary>
    public TimeSpan? RefreshInterval =>
        Parsed.GetBoolean(RefreshTopicsEnabled) ? TimeSpan.FromSeconds(Parsed.GetLong(RefreshTopicsIntervalSeconds)) : null;

    public bool SyncTopicConfigs => Parsed.GetBoolean(SyncTopicConfigsEnabled);

    public bool ReplicateHeartbeats => Parsed.GetBoolean(HeartbeatsReplicationEnabled);

    public short TopicReplicationFactor => (short)Parsed.GetInt(ReplicationFactor);

    /// <summary>The task's partitions (<c>task.assigned.partitions</c>); empty for a connector configuration.</summary>
    public IReadOnlyList<Api.Connector.TopicPartition> AssignedPartitions =>
        Parsed.Values.ContainsKey(TaskAssignedPartitions)
            ? [.. Parsed.GetList(TaskAssignedPartitions).Where(p => p.Length > 0).Select(MirrorPartitions.DecodeTopicPartition)]
            : [];

    /// <summary>Throws <see cref="ConfigException"/> for the first missing or invalid configuration.</summary>
    public static MirrorSourceConfig Parse(IReadOnlyDictionary<string, string> properties) => new(Definition.Parse(properties));

    public static MirrorSourceConfig ParseTask(IReadOnlyDictionary<string, string> properties) => new(TaskDefinition.Parse(properties));

    /// <summary>The connector's whole configuration plus the task's partitions and index (Kafka's <c>taskConfigForTopicPartitions</c>).</summary>
    public IReadOnlyDictionary<string, string> TaskConfig(IEnumerable<Api.Connector.TopicPartition> partitions, int taskIndex) =>
        new Dictionary<string, string>(Parsed.Originals, StringComparer.Ordinal)
        {
            [TaskAssignedPartitions] = string.Join(",", partitions.Select(MirrorPartitions.EncodeTopicPartition)),
            [TaskIndex] = taskIndex.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };

    private static void EnsureReplicationFactor(string name, object? value)
    {
        if (value is not int factor || factor is 0 or < -1 || factor > short.MaxValue)
        {
            throw new ConfigException(name, value, "Replication factor must be -1 (the target's default) or at least 1");
        }
    }
}

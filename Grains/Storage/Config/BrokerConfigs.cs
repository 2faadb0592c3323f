using System.Collections.Frozen;
using System.Globalization;

namespace Tributary.Grains.Storage.Config;

/// <summary>
/// Kafka's broker configs (<see cref="All"/>, after KafkaConfig), the synonyms among them (DynamicBrokerConfig's
/// <c>brokerConfigSynonyms</c>: <c>log.retention.ms</c>, <c>.minutes</c> and <c>.hours</c> are one setting), the
/// broker configs that supply topics' defaults (ServerTopicConfigSynonyms), and the check of a dynamic change
/// (DynamicBrokerConfig's <c>validateConfigs</c>, with Kafka's messages).
/// </summary>
public static partial class BrokerConfigs
{
    public const string NumPartitions = "num.partitions";
    public const string DefaultReplicationFactor = "default.replication.factor";
    public const string OffsetsTopicNumPartitions = "offsets.topic.num.partitions";
    public const string OffsetsTopicReplicationFactor = "offsets.topic.replication.factor";
    public const string AutoCreateTopicsEnable = "auto.create.topics.enable";
    public const string ProducerIdExpirationMs = "producer.id.expiration.ms";
    public const string ReplicaFetchMaxBytes = "replica.fetch.max.bytes";
    public const string ReplicaFetchResponseMaxBytes = "replica.fetch.response.max.bytes";
    public const string ReplicaFetchWaitMaxMs = "replica.fetch.wait.max.ms";
    public const string ReplicaFetchBackoffMs = "replica.fetch.backoff.ms";
    public const string ReplicaLagTimeMaxMs = "replica.lag.time.max.ms";
    public const string ControlledShutdownEnable = "controlled.shutdown.enable";
    public const string ControlledShutdownMaxRetries = "controlled.shutdown.max.retries";
    public const string ControlledShutdownRetryBackoffMs = "controlled.shutdown.retry.backoff.ms";
    public const string LeaderReplicationThrottledRate = "leader.replication.throttled.rate";
    public const string FollowerReplicationThrottledRate = "follower.replication.throttled.rate";
    public const string ReplicationQuotaWindowNum = "replication.quota.window.num";
    public const string ReplicationQuotaWindowSizeSeconds = "replication.quota.window.size.seconds";
    public const string UncleanLeaderElectionEnable = "unclean.leader.election.enable";
    public const string AutoLeaderRebalanceEnable = "auto.leader.rebalance.enable";
    public const string LeaderImbalancePerBrokerPercentage = "leader.imbalance.per.broker.percentage";
    public const string LeaderImbalanceCheckIntervalSeconds = "leader.imbalance.check.interval.seconds";

    private static readonly FrozenDictionary<string, long> MillisecondsPerUnit = new Dictionary<string, long>(StringComparer.Ordinal)
    {
        ["log.retention.minutes"] = 60_000,
        ["log.retention.hours"] = 3_600_000,
        ["log.roll.hours"] = 3_600_000,
        ["log.roll.jitter.hours"] = 3_600_000,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static IReadOnlyList<BrokerConfigDefinition> All { get; } = Catalog();

    public static FrozenDictionary<string, BrokerConfigDefinition> ByName { get; } =
        All.ToFrozenDictionary(d => d.Name, StringComparer.Ordinal);

    /// <summary>
    /// For each topic config that has a broker default, the broker configs that supply it, in order of precedence:
    /// the first one with a value gives the topic's default.
    /// </summary>
    public static FrozenDictionary<string, IReadOnlyList<string>> TopicDefaultSources { get; } = TopicConfigs.All
        .Where(t => t.BrokerSynonym is { } broker && ByName.ContainsKey(broker))
        .ToFrozenDictionary(t => t.Name, t => Synonyms(t.BrokerSynonym!), StringComparer.Ordinal);

    /// <summary>
    /// The names that set the same thing as <paramref name="name"/>, in order of precedence (itself alone for most).
    /// </summary>
    public static IReadOnlyList<string> Synonyms(string name) => name switch
    {
        "log.roll.ms" or "log.roll.hours" => ["log.roll.ms", "log.roll.hours"],
        "log.roll.jitter.ms" or "log.roll.jitter.hours" => ["log.roll.jitter.ms", "log.roll.jitter.hours"],
        "log.flush.interval.ms" => ["log.flush.interval.ms", "log.flush.scheduler.interval.ms"],
        "log.retention.ms" or "log.retention.minutes" or "log.retention.hours" => ["log.retention.ms", "log.retention.minutes", "log.retention.hours"],
        _ => [name],
    };

    /// <summary>A broker config's value as the topic config it is a default of: hours and minutes become milliseconds.</summary>
    public static string ToTopicValue(string brokerName, string value)
    {
        var isRetention = brokerName.StartsWith("log.retention.", StringComparison.Ordinal);
        if (!MillisecondsPerUnit.TryGetValue(brokerName, out var unit))
        {
            if (!isRetention)
            {
                return value;
            }

            unit = 1;
        }

        // Kafka's logRetentionTimeMillis: any negative retention means "keep forever".
        var milliseconds = long.Parse(value, CultureInfo.InvariantCulture) * unit;
        return (isRetention && milliseconds < 0 ? -1 : milliseconds).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Checks the configs a dynamic entity (one broker, or the cluster default) would hold after a change. Returns null
    /// when they may be stored, else the message of Kafka's INVALID_REQUEST. Names Kafka does not know are custom
    /// configs, stored as Kafka stores them (for plugins).
    /// </summary>
    public static string? ValidateDynamic(IReadOnlyDictionary<string, string> configs)
    {
        var readOnly = configs.Keys.Where(n => ByName.TryGetValue(n, out var d) && !d.IsDynamic).ToList();
        if (readOnly.Count > 0)
        {
            return $"Cannot update these configs dynamically: {ScalaSet(readOnly)}";
        }

        foreach (var (name, value) in configs)
        {
            if (ByName.TryGetValue(name, out var definition) && definition.Validate(value) is { } error)
            {
                return error;
            }
        }

        return null;
    }

    /// <summary>A list config's items, as Kafka's ConfigDef splits them.</summary>
    public static IReadOnlyList<string> SplitList(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A set as Scala prints it, which Kafka's messages carry: <c>Set(a, b)</c>, or <c>HashSet(...)</c> past four.</summary>
    private static string ScalaSet(IReadOnlyCollection<string> names) =>
        $"{(names.Count <= 4 ? "Set" : "HashSet")}({string.Join(", ", names)})";
}

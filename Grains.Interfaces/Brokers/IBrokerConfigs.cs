using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Grains.Interfaces.Brokers;

/// <summary>
/// This broker's configs as the Kafka gateway reads and changes them, held by the silo (not a grain): the static ones
/// it was started with and the dynamic ones of <see cref="IBrokerConfigGrain"/>, which sends each new version to every
/// silo, so that reading a config costs no grain call.
/// </summary>
public interface IBrokerConfigs
{
    /// <summary>Kafka's <c>auto.create.topics.enable</c>, as it stands now.</summary>
    bool AutoCreateTopicsEnable { get; }

    /// <summary>Kafka's <c>num.partitions</c>, as it stands now: the partitions of a topic this broker auto-creates.</summary>
    int NumPartitions { get; }

    /// <summary>Kafka's <c>offsets.topic.num.partitions</c>: the partitions <c>__consumer_offsets</c> is created with.</summary>
    int OffsetsTopicNumPartitions { get; }

    /// <summary>Kafka's <c>offsets.topic.replication.factor</c>: the replicas of each <c>__consumer_offsets</c> partition when it is created.</summary>
    short OffsetsTopicReplicationFactor { get; }

    /// <summary>
    /// The broker's defaults of topic configs, by topic config name (<c>compression.type</c>,
    /// <c>message.downconversion.enable</c>, ...), as they stand now: what a topic without a value of its own takes.
    /// </summary>
    IReadOnlyDictionary<string, string> TopicDefaults { get; }

    /// <summary>
    /// Kafka's DescribeConfigs of a BROKER resource: this broker (its id) or the cluster default (empty name); the named
    /// configs, or all when <paramref name="names"/> is null or empty.
    /// </summary>
    DescribeConfigsResult Describe(string resourceName, IReadOnlyList<string>? names, bool includeSynonyms, bool includeDocumentation);

    /// <summary>Kafka's AlterConfigs of a BROKER resource; the change is in force on this silo when this returns.</summary>
    Task<TopicAdminResult> AlterConfigsAsync(string resourceName, IReadOnlyDictionary<string, string?> configs, bool validateOnly);

    /// <summary>Kafka's IncrementalAlterConfigs of a BROKER resource; the change is in force on this silo when this returns.</summary>
    Task<TopicAdminResult> IncrementalAlterConfigsAsync(string resourceName, IReadOnlyList<ConfigChange> changes, bool validateOnly);
}

/// <summary>
/// Settings a broker was started with, under Kafka's broker config names (Kafka's STATIC_BROKER_CONFIG). Each layer
/// that owns settings (the broker, the Kafka listener) registers one.
/// </summary>
public interface IStaticBrokerConfigSource
{
    IEnumerable<KeyValuePair<string, string>> StaticBrokerConfigs();
}

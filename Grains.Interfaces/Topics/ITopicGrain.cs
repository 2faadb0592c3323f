using Tributary.Grains.KafkaFormats.Replication;
using Orleans.Concurrency;

namespace Tributary.Grains.Interfaces.Topics;

/// <summary>
/// A topic's metadata: its id, partition count, config overrides and where each partition lives. Keyed by the
/// topic name. The source of truth for "does this topic exist".
/// </summary>
[Alias("Tributary.Topics.ITopicGrain")]
public interface ITopicGrain : IGrainWithStringKey
{
    /// <summary>Creates the topic, or with <see cref="CreateTopicRequest.ValidateOnly"/> only checks that it could be.</summary>
    [Alias("Create")]
    Task<CreateTopicResult> CreateAsync(CreateTopicRequest request);

    /// <summary>
    /// The topic, or null when it does not exist. Interleaves with the grain's other calls: partitions ask for it while
    /// they activate, which they may do because the topic itself is calling them (config changes, deletion).
    /// </summary>
    [Alias("Describe")]
    [AlwaysInterleave]
    Task<TopicDescription?> DescribeAsync();

    /// <summary>
    /// What partition <paramref name="partition"/> needs of its topic to be placed and opened, or null when the topic
    /// or the partition does not exist (or is being deleted). Interleaves, as <see cref="DescribeAsync"/> does.
    /// </summary>
    [Alias("DescribePartition")]
    [AlwaysInterleave]
    Task<PartitionDescription?> DescribePartitionAsync(int partition);

    /// <summary>
    /// Deletes the topic: it is marked deleted at once (no longer described, listed nor found by id) and its partitions'
    /// data is removed in the background, a bounded batch at a time on each broker. Until that completes, the name
    /// cannot be created again (Kafka's "marked for deletion"); a topic of that name created later is a new topic.
    /// </summary>
    [Alias("Delete")]
    Task<TopicAdminResult> DeleteAsync();

    /// <summary>Wakes the topic so that a deletion interrupted by a restart goes on; true while one is pending.</summary>
    [Alias("ResumeDeletion")]
    Task<bool> ResumeDeletionAsync();

    /// <summary>Kafka's CreatePartitions: grows the topic to <paramref name="totalCount"/> partitions.</summary>
    [Alias("CreatePartitions")]
    Task<TopicAdminResult> CreatePartitionsAsync(int totalCount, bool validateOnly);

    /// <summary>
    /// Kafka's CreatePartitions with the new partitions' replicas as the client assigned them: one list of broker ids per
    /// new partition, in partition order, as long as the topic's; null places as many replicas on the live brokers.
    /// </summary>
    [Alias("CreatePartitionsAssigned")]
    Task<TopicAdminResult> CreatePartitionsAsync(int totalCount, IReadOnlyList<IReadOnlyList<int>>? assignments, bool validateOnly);

    /// <summary>Kafka's DescribeConfigs for the topic: the named configs, or all when <paramref name="names"/> is null.</summary>
    [Alias("DescribeConfigs")]
    Task<DescribeConfigsResult> DescribeConfigsAsync(IReadOnlyList<string>? names, bool includeSynonyms, bool includeDocumentation);

    /// <summary>Kafka's AlterConfigs: the topic's configs become exactly <paramref name="configs"/>.</summary>
    [Alias("AlterConfigs")]
    Task<TopicAdminResult> AlterConfigsAsync(IReadOnlyDictionary<string, string?> configs, bool validateOnly);

    /// <summary>Kafka's IncrementalAlterConfigs: applies the changes, in order, to the topic's configs.</summary>
    [Alias("IncrementalAlterConfigs")]
    Task<TopicAdminResult> IncrementalAlterConfigsAsync(IReadOnlyList<ConfigChange> changes, bool validateOnly);

    /// <summary>
    /// A leader's AlterPartition (its ISR shrinks or grows), checked by the controller's rules against the stored
    /// registration and stored only if they accept it: the answer is the registration after, with Kafka's error.
    /// </summary>
    [Alias("AlterPartition")]
    Task<PartitionChange> AlterPartitionAsync(int partition, AlterPartitionRequest request);

    /// <summary>
    /// Kafka's ElectLeaders: a PREFERRED (0) or UNCLEAN (1) election in each of <paramref name="partitions"/>, or in
    /// every partition when null; the changed registrations are stored and the brokers concerned told.
    /// </summary>
    [Alias("ElectLeaders")]
    Task<IReadOnlyList<LeaderElectionResult>> ElectLeadersAsync(byte electionType, IReadOnlyList<int>? partitions);

    /// <summary>
    /// Kafka's AlterPartitionReassignments: each named partition starts moving to its target replicas (added replicas
    /// catch up and join the ISR, then the dropped ones leave) or, with null replicas, its reassignment is cancelled;
    /// the changed registrations are stored and the brokers concerned told. One result per named partition.
    /// </summary>
    [Alias("AlterReassignments")]
    Task<IReadOnlyList<PartitionReassignmentResult>> AlterReassignmentsAsync(IReadOnlyList<PartitionReassignmentTarget> targets);

    /// <summary>
    /// A broker left the cluster: it leaves the ISR of the topic's partitions (unless it is the last member) and the
    /// partitions it led elect new leaders from their ISR; the brokers concerned are told.
    /// </summary>
    [Alias("FenceBroker")]
    Task FenceBrokerAsync(int brokerId);

    /// <summary>
    /// A broker joined the cluster: partitions without a leader that it can lead elect one, and it is told every
    /// partition of the topic it holds a replica of, so that it leads or follows each.
    /// </summary>
    [Alias("BrokerJoined")]
    Task BrokerJoinedAsync(int brokerId);
}

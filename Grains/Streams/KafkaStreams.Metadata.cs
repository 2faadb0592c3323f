using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Serialization;

namespace Tributary.Grains.Streams;

/// <summary>
/// Where the instances of an application are, for interactive queries across them (Kafka's <c>queryMetadataForKey</c>
/// and <c>metadataForAllStreamsClients</c>). Kafka's assignor carries each instance's <c>application.server</c> in its
/// subscription's user data; the active instances are read from the group's description, where it travels at the
/// end of each stream thread's client id (<c>...-consumer@host:port</c>) beside the member's partitions, and the
/// standby instances from the latest assignment, whose user data lists every instance's standbys by server.
/// </summary>
public sealed partial class KafkaStreams
{
    private const char ServerSeparator = '@';

    private IReadOnlyDictionary<string, IReadOnlyList<Processor.TaskId>> _standbysByHost = new Dictionary<string, IReadOnlyList<Processor.TaskId>>();

    /// <summary>
    /// The instance that holds <paramref name="key"/> in <paramref name="storeName"/> and the partition of the key;
    /// <see cref="KeyQueryMetadata.NotAvailable"/> while the application rebalances or when no instance sets
    /// <see cref="StreamsConfig.ApplicationServer"/>.
    /// </summary>
    public async Task<KeyQueryMetadata> QueryMetadataForKeyAsync<TKey>(string storeName, TKey key, ISerde<TKey> keySerde)
    {
        ArgumentNullException.ThrowIfNull(keySerde);
        var subtopology = _topology.Subtopologies().FirstOrDefault(s => s.StoreNames.Contains(storeName))
            ?? throw new InvalidStateStoreException($"Cannot get state store {storeName} because no such store is registered in the topology.");
        var topics = subtopology.SourceTopics.Select(t => _topology.TopicName(_config.ApplicationId, t)).ToList();
        var partitions = topics.Max(PartitionCount);
        var bytes = keySerde.Serialize(topics[0], key, null);
        var partition = (Murmur2Partitioner.Murmur2(bytes) & 0x7fffffff) % partitions;
        var members = await MembersAsync().ConfigureAwait(false);
        var owner = members.FirstOrDefault(m => m.Partitions.Any(p => p.Partition.Value == partition && topics.Contains(p.Topic)));
        return owner.Host is null ? KeyQueryMetadata.NotAvailable : new KeyQueryMetadata(owner.Host, StandbyHosts(storeName, subtopology.Id, partition), partition);
    }

    /// <summary>
    /// The servers of the instances that keep standbys of a store's task on <paramref name="partition"/>, as the
    /// latest assignment a thread of this instance received tells them; none for a store that is not persistent.
    /// </summary>
    private List<HostInfo> StandbyHosts(string storeName, int subtopology, int partition)
    {
        if (!_topology.StoreBuilders[storeName].Build().Persistent)
        {
            return [];
        }

        var task = new Processor.TaskId(subtopology, partition);
        IReadOnlyDictionary<string, IReadOnlyList<Processor.TaskId>> byHost;
        lock (_gate)
        {
            byHost = _standbysByHost;
        }

        return [.. byHost.Where(h => h.Value.Contains(task)).Select(h => HostInfo.Parse(h.Key)).OfType<HostInfo>().OrderBy(h => h.ToString(), StringComparer.Ordinal)];
    }

    /// <summary>A thread received an assignment: its standby placement is the one interactive queries report.</summary>
    private void OnAssignment(Runtime.Assignment.StreamsAssignmentInfo assignment)
    {
        lock (_gate)
        {
            _standbysByHost = assignment.StandbyTasksByHost;
        }
    }

    /// <summary>Every instance of the application that sets <see cref="StreamsConfig.ApplicationServer"/>, with the stores and partitions it holds.</summary>
    public async Task<IReadOnlyList<StreamsMetadata>> MetadataForAllStreamsClientsAsync()
    {
        var subtopologies = _topology.Subtopologies().Where(s => !s.IsGlobal).ToList();
        var groups = new Runtime.CopartitionGroups(SubtopologyOfTopic(), PartitionCount);
        return [.. (await MembersAsync().ConfigureAwait(false))
            .Where(m => m.Host is not null)
            .GroupBy(m => m.Host!)
            .Select(instance =>
            {
                // The group assigns each task's anchor partition; the task reads its other source topics' too.
                var partitions = groups.WithFollowers(instance.SelectMany(m => m.Partitions)).ToList();
                var stores = subtopologies
                    .Where(s => s.SourceTopics.Any(t => partitions.Any(p => p.Topic == _topology.TopicName(_config.ApplicationId, t))))
                    .SelectMany(s => s.StoreNames)
                    .Concat(_topology.GlobalStoreBuilders.Keys)
                    .Distinct()
                    .Order(StringComparer.Ordinal)
                    .ToList();
                return new StreamsMetadata(instance.Key, stores, partitions);
            })];
    }

    /// <summary>The consumer client id of a stream thread: Kafka's, with the instance's server after it when there is one.</summary>
    internal static string ConsumerClientId(string threadName, string? applicationServer) =>
        applicationServer is null ? threadName + "-consumer" : $"{threadName}-consumer{ServerSeparator}{applicationServer}";

    private async Task<List<(HostInfo? Host, string ClientId, IReadOnlyList<TopicPartition> Partitions)>> MembersAsync()
    {
        EnsureQueryable();
        var groups = await _admin!.DescribeConsumerGroupsAsync([_config.ApplicationId], new DescribeConsumerGroupsOptions { RequestTimeout = TimeSpan.FromSeconds(30) })
            .ConfigureAwait(false);
        var group = groups.ConsumerGroupDescriptions.Single();
        if (group.State != ConsumerGroupState.Stable)
        {
            return [];
        }

        return [.. group.Members.Select(m => (HostInfo.FromClientId(m.ClientId, ServerSeparator), m.ClientId, (IReadOnlyList<TopicPartition>)m.Assignment.TopicPartitions))];
    }
}

/// <summary>An instance's <c>application.server</c> (Kafka's <c>HostInfo</c>).</summary>
public sealed record HostInfo(string Host, int Port)
{
    /// <summary>Parses <c>host:port</c>; null when it is not one.</summary>
    public static HostInfo? Parse(string server)
    {
        var colon = server.LastIndexOf(':');
        return colon > 0 && int.TryParse(server.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? new HostInfo(server[..colon], port)
            : null;
    }

    internal static HostInfo? FromClientId(string clientId, char separator)
    {
        var at = clientId.LastIndexOf(separator);
        return at < 0 ? null : Parse(clientId[(at + 1)..]);
    }

    public override string ToString() => $"{Host}:{Port}";
}

/// <summary>Where a key of a store lives: the instance holding its partition (Kafka's <c>KeyQueryMetadata</c>).</summary>
public sealed record KeyQueryMetadata(HostInfo? ActiveHost, IReadOnlyList<HostInfo> StandbyHosts, int Partition)
{
    /// <summary>Equal when the hosts (standbys in order) and the partition are.</summary>
    public bool Equals(KeyQueryMetadata? other) =>
        other is not null && Equals(ActiveHost, other.ActiveHost) && Partition == other.Partition && StandbyHosts.SequenceEqual(other.StandbyHosts);

    public override int GetHashCode() => HashCode.Combine(ActiveHost, Partition, StandbyHosts.Count);

    /// <summary>No instance is known to hold the key now (Kafka's <c>NOT_AVAILABLE</c>).</summary>
    public static KeyQueryMetadata NotAvailable { get; } = new(null, [], -1);
}

/// <summary>An instance of the application: its server, its stores and its partitions (Kafka's <c>StreamsMetadata</c>).</summary>
public sealed record StreamsMetadata(HostInfo HostInfo, IReadOnlyList<string> StateStoreNames, IReadOnlyList<TopicPartition> TopicPartitions);

using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Grains.Streams.Topologies;

namespace Tributary.Grains.Streams.Runtime;

/// <summary>
/// Makes the topics an application owns before it processes anything (Kafka's <c>InternalTopicManager</c>):
/// repartition topics with as many partitions as the input of the sub-topology that writes them (or the number
/// asked for), and changelog topics, compacted, with as many partitions as their sub-topology has tasks. Input
/// topics must exist: a missing one stops the start, as Kafka's MissingSourceTopicException does.
/// </summary>
internal sealed class InternalTopicManager(IAdminClient admin, Topology topology, StreamsConfig config)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Creates what is missing; returns the partition count of every source topic of the topology, by real name.</summary>
    public async Task<IReadOnlyDictionary<string, int>> PrepareAsync()
    {
        var subtopologies = topology.Subtopologies();
        var counts = new Dictionary<string, int>();
        // One listing of every topic: asking for a missing topic by name could have the broker create it.
        var metadata = admin.GetMetadata(Timeout);
        foreach (var topic in metadata.Topics.Where(t => t.Error.Code == ErrorCode.NoError && t.Partitions.Count > 0))
        {
            counts[topic.Topic] = topic.Partitions.Count;
        }

        var existing = counts.Keys.ToHashSet();

        var missing = subtopologies.SelectMany(s => s.SourceTopics)
            .Where(t => !topology.RepartitionTopics.ContainsKey(t) && !counts.ContainsKey(t))
            .ToList();
        if (missing.Count > 0)
        {
            throw new StreamsException($"Missing source topics: [{string.Join(", ", missing)}]. The application cannot start until they exist.");
        }

        var toCreate = new List<TopicSpecification>();
        var plan = new PartitionPlan(subtopologies, topology.CopartitionGroups(), counts);
        foreach (var (name, _) in topology.RepartitionTopics)
        {
            var partitions = RepartitionPartitions(name, plan);
            AddIfMissing(toCreate, existing, counts, topology.TopicName(config.ApplicationId, name), partitions, new Dictionary<string, string>
            {
                ["cleanup.policy"] = "delete",
                ["segment.bytes"] = "52428800",
                ["retention.ms"] = "-1",
            });
        }

        EnsureCopartitioned(plan);
        foreach (var subtopology in subtopologies.Where(s => !s.IsGlobal))
        {
            var partitions = subtopology.SourceTopics.Max(t => counts[topology.TopicName(config.ApplicationId, t)]);
            foreach (var storeName in subtopology.StoreNames)
            {
                var store = topology.StoreBuilders[storeName];
                if (store.LoggingEnabled)
                {
                    var settings = new Dictionary<string, string>(store.LogConfig) { ["cleanup.policy"] = "compact" };
                    AddIfMissing(toCreate, existing, counts, Internals.ProcessorStateManager.ChangelogTopic(config.ApplicationId, storeName), partitions, settings);
                }
            }
        }

        if (toCreate.Count > 0)
        {
            try
            {
                await admin.CreateTopicsAsync(toCreate, new CreateTopicsOptions { RequestTimeout = Timeout }).ConfigureAwait(false);
            }
            catch (CreateTopicsException e) when (e.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
            {
                // Another instance of the application made them first.
            }
        }

        return counts;
    }

    /// <summary>
    /// The partitions of a repartition topic: asked for; or, in a co-partition group with input topics, as many as
    /// they have; or the most of the group's members, each as many as the input of the sub-topology that writes it.
    /// </summary>
    private int RepartitionPartitions(string name, PartitionPlan plan)
    {
        var actual = topology.TopicName(config.ApplicationId, name);
        if (topology.RepartitionTopics[name] is { } asked)
        {
            plan.Counts[actual] = asked;
            return asked;
        }

        if (plan.Counts.TryGetValue(actual, out var known))
        {
            return known;
        }

        if (!plan.Visiting.Add(name))
        {
            throw new StreamsException($"The repartition topic {name} feeds itself; its partition count cannot be derived.");
        }

        var group = plan.Groups.FirstOrDefault(g => g.Contains(name));
        var inputs = group?.Where(t => !topology.RepartitionTopics.ContainsKey(t)).ToList();
        var partitions = group is null ? WriterPartitions(name, plan)
            : inputs!.Count > 0 ? inputs.Max(t => plan.Counts[t])
            : group.Max(t => t == name ? WriterPartitions(t, plan) : Natural(t, plan));
        plan.Counts[actual] = partitions;
        return partitions;
    }

    /// <summary>A repartition topic's partitions before co-partitioning: asked for, existing, or as its writer's input.</summary>
    private int Natural(string name, PartitionPlan plan) =>
        topology.RepartitionTopics[name] ?? (plan.Counts.TryGetValue(topology.TopicName(config.ApplicationId, name), out var known) ? known : WriterPartitions(name, plan));

    private int WriterPartitions(string name, PartitionPlan plan)
    {
        var writer = plan.Subtopologies.First(s => s.SinkTopics.Contains(name));
        return writer.SourceTopics.Max(t => topology.RepartitionTopics.ContainsKey(t) ? RepartitionPartitions(t, plan) : plan.Counts[t]);
    }

    /// <summary>Fails the start, as Kafka's CopartitionedTopicsEnforcer does, when the topics of a join or cogroup differ in partitions.</summary>
    private void EnsureCopartitioned(PartitionPlan plan)
    {
        foreach (var group in plan.Groups)
        {
            if (group.Select(t => plan.Counts[topology.TopicName(config.ApplicationId, t)]).Distinct().Count() > 1)
            {
                var sizes = group.Order(StringComparer.Ordinal).Select(t => $"{t}={plan.Counts[topology.TopicName(config.ApplicationId, t)]}");
                throw new StreamsException($"Invalid topology: Topics not co-partitioned: [{string.Join(",", sizes)}]");
            }
        }
    }

    /// <summary>What working out the partition counts needs: the sub-topologies, the groups, the counts so far (by real name).</summary>
    private sealed record PartitionPlan(IReadOnlyList<Subtopology> Subtopologies, IReadOnlyList<IReadOnlySet<string>> Groups, Dictionary<string, int> Counts)
    {
        public HashSet<string> Visiting { get; } = [];
    }

    private void AddIfMissing(
        List<TopicSpecification> toCreate, HashSet<string> existing, Dictionary<string, int> counts, string topic, int partitions, Dictionary<string, string> settings)
    {
        if (existing.Contains(topic))
        {
            return;
        }

        counts[topic] = partitions;
        if (toCreate.All(t => t.Name != topic))
        {
            toCreate.Add(new TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = config.ReplicationFactor, Configs = settings });
        }
    }
}

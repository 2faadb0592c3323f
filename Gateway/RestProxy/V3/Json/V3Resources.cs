using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Tributary.Gateway.Kafka;
using Tributary.Grains.Interfaces.Brokers;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Gateway.RestProxy.V3.Json;

/// <summary>
/// API v3's resource envelope: every object has its <c>kind</c>, a <c>metadata</c> with its own absolute URL and
/// resource name, and links to related collections; lists are <c>{"kind":"…List","metadata":…,"data":[…]}</c>.
/// </summary>
internal sealed class V3Resources(HttpRequest request, BrokerIdentity broker)
{
    public string ClusterId => broker.ClusterId;

    private string Base => $"{request.Scheme}://{request.Host}/v3/clusters/{broker.ClusterId}";

    private string Crn => $"crn:///kafka={broker.ClusterId}";

    public static JsonObject List(string kind, string self, IEnumerable<JsonNode> data) => new()
    {
        ["kind"] = kind,
        ["metadata"] = new JsonObject { ["self"] = self, ["next"] = null },
        ["data"] = new JsonArray(data.ToArray()),
    };

    public string Url(string path = "") => Base + path;

    public JsonObject Cluster() => new()
    {
        ["kind"] = "KafkaCluster",
        ["metadata"] = Metadata("", ""),
        ["cluster_id"] = broker.ClusterId,
        ["controller"] = Related($"/brokers/{broker.BrokerId}"),
        ["acls"] = Related("/acls"),
        ["brokers"] = Related("/brokers"),
        ["broker_configs"] = Related("/broker-configs"),
        ["consumer_groups"] = Related("/consumer-groups"),
        ["topics"] = Related("/topics"),
        ["partition_reassignments"] = Related("/topics/-/partitions/-/reassignment"),
    };

    public JsonObject Broker(BrokerEndpoint endpoint) => new()
    {
        ["kind"] = "KafkaBroker",
        ["metadata"] = Metadata($"/brokers/{endpoint.BrokerId}", $"/broker={endpoint.BrokerId}"),
        ["cluster_id"] = broker.ClusterId,
        ["broker_id"] = endpoint.BrokerId,
        ["host"] = endpoint.Host,
        ["port"] = endpoint.Port,
        ["rack"] = endpoint.Rack,
        ["configs"] = Related($"/brokers/{endpoint.BrokerId}/configs"),
        ["partition_replicas"] = Related($"/brokers/{endpoint.BrokerId}/partition-replicas"),
    };

    public JsonObject Topic(TopicDescription topic) => new()
    {
        ["kind"] = "KafkaTopic",
        ["metadata"] = Metadata($"/topics/{topic.Name}", $"/topic={topic.Name}"),
        ["cluster_id"] = broker.ClusterId,
        ["topic_name"] = topic.Name,
        ["is_internal"] = InternalTopics.IsInternal(topic.Name),
        ["replication_factor"] = topic.ReplicationFactor,
        ["partitions_count"] = topic.PartitionCount,
        ["partitions"] = Related($"/topics/{topic.Name}/partitions"),
        ["configs"] = Related($"/topics/{topic.Name}/configs"),
        ["partition_reassignments"] = Related($"/topics/{topic.Name}/partitions/-/reassignment"),
        ["authorized_operations"] = new JsonArray(),
    };

    public JsonObject Partition(TopicDescription topic, int partition) => new()
    {
        ["kind"] = "KafkaPartition",
        ["metadata"] = Metadata($"/topics/{topic.Name}/partitions/{partition}", $"/topic={topic.Name}/partition={partition}"),
        ["cluster_id"] = broker.ClusterId,
        ["topic_name"] = topic.Name,
        ["partition_id"] = partition,
        ["leader"] = Related($"/topics/{topic.Name}/partitions/{partition}/replicas/{topic.PartitionBrokers[partition]}"),
        ["replicas"] = Related($"/topics/{topic.Name}/partitions/{partition}/replicas"),
        ["reassignment"] = Related($"/topics/{topic.Name}/partitions/{partition}/reassignment"),
    };

    public JsonObject Replica(TopicDescription topic, int partition, int brokerId) => new()
    {
        ["kind"] = "KafkaReplica",
        ["metadata"] = Metadata(
            $"/topics/{topic.Name}/partitions/{partition}/replicas/{brokerId}", $"/topic={topic.Name}/partition={partition}/replica={brokerId}"),
        ["cluster_id"] = broker.ClusterId,
        ["topic_name"] = topic.Name,
        ["partition_id"] = partition,
        ["broker_id"] = brokerId,
        ["is_leader"] = topic.Partitions[partition].Leader == brokerId,
        ["is_in_sync"] = topic.Partitions[partition].Isr.Contains(brokerId),
        ["broker"] = Related($"/brokers/{brokerId}"),
    };

    /// <summary>A partition's reassignment in progress: the replicas being added and removed.</summary>
    public JsonObject Reassignment(string topic, int partition, PartitionRegistration registration) => new()
    {
        ["kind"] = "KafkaReassignment",
        ["metadata"] = Metadata($"/topics/{topic}/partitions/{partition}/reassignment", $"/topic={topic}/partition={partition}/reassignment"),
        ["cluster_id"] = broker.ClusterId,
        ["topic_name"] = topic,
        ["partition_id"] = partition,
        ["adding_replicas"] = new JsonArray([.. registration.AddingReplicas.Select(b => (JsonNode)b)]),
        ["removing_replicas"] = new JsonArray([.. registration.RemovingReplicas.Select(b => (JsonNode)b)]),
        ["replicas"] = Related($"/topics/{topic}/partitions/{partition}/replicas"),
    };

    public JsonObject TopicConfig(string topic, TopicConfigEntry entry) => new()
    {
        ["kind"] = "KafkaTopicConfig",
        ["metadata"] = Metadata($"/topics/{topic}/configs/{entry.Name}", $"/topic={topic}/config={entry.Name}"),
        ["cluster_id"] = broker.ClusterId,
        ["topic_name"] = topic,
        ["name"] = entry.Name,
        ["value"] = entry.Value,
        ["is_default"] = entry.Source == ConfigSource.DefaultConfig,
        ["is_read_only"] = entry.IsReadOnly,
        ["is_sensitive"] = entry.IsSensitive,
        ["source"] = SourceName(entry.Source),
        ["synonyms"] = new JsonArray(entry.Synonyms.Select(s => (JsonNode)new JsonObject
        {
            ["name"] = s.Name,
            ["value"] = s.Value,
            ["source"] = SourceName(s.Source),
        }).ToArray()),
    };

    private static string SourceName(ConfigSource source) => source switch
    {
        ConfigSource.TopicConfig => "DYNAMIC_TOPIC_CONFIG",
        ConfigSource.DynamicBrokerConfig => "DYNAMIC_BROKER_CONFIG",
        ConfigSource.DynamicDefaultBrokerConfig => "DYNAMIC_DEFAULT_BROKER_CONFIG",
        ConfigSource.StaticBrokerConfig => "STATIC_BROKER_CONFIG",
        ConfigSource.DefaultConfig => "DEFAULT_CONFIG",
        _ => "UNKNOWN",
    };

    private JsonObject Metadata(string path, string resource) => new()
    {
        ["self"] = Base + path,
        ["resource_name"] = Crn + resource,
    };

    private JsonObject Related(string path) => new() { ["related"] = Base + path };
}

using System.Text.Json.Serialization;

namespace Tributary.Gateway.RestProxy.V3.Json;

/// <summary>
/// POST …/topics: the topic to create, its partitions and replication factor or the replicas of each partition
/// (<c>{"0": [1, 2], "1": [2, 3]}</c>, which then decides both), its configs; or only its validation.
/// </summary>
internal sealed record NewTopicRequest(
    [property: JsonPropertyName("topic_name")] string? TopicName,
    [property: JsonPropertyName("partitions_count")] int? PartitionsCount,
    [property: JsonPropertyName("replication_factor")] short? ReplicationFactor,
    [property: JsonPropertyName("replicas_assignments")] Dictionary<int, List<int>>? ReplicasAssignments,
    [property: JsonPropertyName("configs")] List<ConfigEntry>? Configs,
    [property: JsonPropertyName("validate_only")] bool ValidateOnly);

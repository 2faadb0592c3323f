namespace Tributary.Gateway.Connect.Json;

/// <summary>The root's answer (Kafka's <c>ServerInfo</c>): <c>{"version", "commit", "kafka_cluster_id"}</c>.</summary>
internal sealed record ServerInfo(string Version, string Commit, string KafkaClusterId);

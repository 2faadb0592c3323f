using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Tributary.Grains.Interfaces.Groups;

using Tributary.Grains.KafkaFormats.Groups;

namespace Tributary.Gateway.RestProxy.V3.Json;

/// <summary>API v3's consumer group resources.</summary>
internal sealed partial class ConsumerGroupResources(V3Resources resources)
{
    public V3Resources Resources => resources;

    public JsonObject Group(string group, GroupDescription description) => new()
    {
        ["kind"] = "KafkaConsumerGroup",
        ["metadata"] = Metadata($"/consumer-groups/{group}", $"/consumer-group={group}"),
        ["cluster_id"] = resources.ClusterId,
        ["consumer_group_id"] = group,
        ["is_simple"] = description.ProtocolType.Length == 0,
        ["partition_assignor"] = description.ProtocolName,
        ["state"] = StateName(description.State),
        ["coordinator"] = Related("/brokers/1"),
        ["consumers"] = Related($"/consumer-groups/{group}/consumers"),
        ["lag_summary"] = Related($"/consumer-groups/{group}/lag-summary"),
    };

    public JsonObject Consumer(string group, GroupMemberDescription member) => new()
    {
        ["kind"] = "KafkaConsumer",
        ["metadata"] = Metadata($"/consumer-groups/{group}/consumers/{member.MemberId}", $"/consumer-group={group}/consumer={member.MemberId}"),
        ["cluster_id"] = resources.ClusterId,
        ["consumer_group_id"] = group,
        ["consumer_id"] = member.MemberId,
        ["instance_id"] = member.GroupInstanceId,
        ["client_id"] = member.ClientId,
        ["assignments"] = Related($"/consumer-groups/{group}/consumers/{member.MemberId}/assignments"),
    };

    public JsonObject Assignment(string group, string consumer, string topic, int partition) => new()
    {
        ["kind"] = "KafkaConsumerAssignment",
        ["metadata"] = Metadata($"/consumer-groups/{group}/consumers/{consumer}/assignments/{topic}/partitions/{partition}",
            $"/consumer-group={group}/consumer={consumer}/assignment={topic}/partition={partition}"),
        ["cluster_id"] = resources.ClusterId,
        ["consumer_group_id"] = group,
        ["consumer_id"] = consumer,
        ["topic_name"] = topic,
        ["partition_id"] = partition,
        ["partition"] = Related($"/topics/{topic}/partitions/{partition}"),
        ["lag"] = Related($"/consumer-groups/{group}/lags/{topic}/partitions/{partition}"),
    };

    public JsonObject Lag(string group, PartitionLag lag) => new()
    {
        ["kind"] = "KafkaConsumerLag",
        ["metadata"] = Metadata($"/consumer-groups/{group}/lags/{lag.Topic}/partitions/{lag.Partition}", $"/consumer-group={group}/lag={lag.Topic}/partition={lag.Partition}"),
        ["cluster_id"] = resources.ClusterId,
        ["consumer_group_id"] = group,
        ["topic_name"] = lag.Topic,
        ["partition_id"] = lag.Partition,
        ["current_offset"] = lag.Current,
        ["log_end_offset"] = lag.End,
        ["lag"] = lag.Lag,
        ["consumer_id"] = lag.Owner?.MemberId ?? "",
        ["instance_id"] = lag.Owner?.GroupInstanceId,
        ["client_id"] = lag.Owner?.ClientId ?? "",

        // Tributary's own: the age of the oldest unconsumed record, in milliseconds (0 when caught up).
        ["lag_ms"] = Milliseconds(lag.Seconds),
    };

    private static long? Milliseconds(double? seconds) => seconds is { } s ? (long)Math.Round(s * 1000) : null;

    public JsonObject LagSummary(string group, List<PartitionLag> lags)
    {
        var max = lags.OrderByDescending(l => l.Lag).FirstOrDefault();
        return new JsonObject
        {
            ["kind"] = "KafkaConsumerGroupLagSummary",
            ["metadata"] = Metadata($"/consumer-groups/{group}/lag-summary", $"/consumer-group={group}/lag-summary"),
            ["cluster_id"] = resources.ClusterId,
            ["consumer_group_id"] = group,
            ["max_lag_consumer_id"] = max?.Owner?.MemberId ?? "",
            ["max_lag_instance_id"] = max?.Owner?.GroupInstanceId,
            ["max_lag_client_id"] = max?.Owner?.ClientId ?? "",
            ["max_lag_topic_name"] = max?.Topic ?? "",
            ["max_lag_partition_id"] = max?.Partition ?? 0,
            ["max_lag"] = max?.Lag ?? 0,
            ["total_lag"] = lags.Sum(l => l.Lag),
            ["max_lag_ms"] = Milliseconds(lags.Max(l => l.Seconds)),
            ["max_lag_consumer"] = max?.Owner is { } owner ? Related($"/consumer-groups/{group}/consumers/{owner.MemberId}") : null,
            ["max_lag_partition"] = max is null ? null : Related($"/topics/{max.Topic}/partitions/{max.Partition}"),
        };
    }

    /// <summary>Kafka's state names in v3's spelling: PreparingRebalance is PREPARING_REBALANCE.</summary>
    private static string StateName(string state) => CamelBoundary().Replace(state, "$1_$2").ToUpperInvariant();

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex CamelBoundary();

    private JsonObject Metadata(string path, string resource) => new()
    {
        ["self"] = resources.Url(path),
        ["resource_name"] = $"crn:///kafka={resources.ClusterId}{resource}",
    };

    private JsonObject Related(string path) => new() { ["related"] = resources.Url(path) };
}

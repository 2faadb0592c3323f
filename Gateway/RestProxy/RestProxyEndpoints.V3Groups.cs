using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Kafka;
using Tributary.Grains.KafkaFormats.Messages;
using Tributary.Grains.Interfaces.Groups;
using Tributary.Grains.Interfaces.Partitions;

namespace Tributary.Gateway.RestProxy;

/// <summary>API v3 consumer groups: the groups, their consumers and assignments, each partition's lag and the lag summary.</summary>
public static partial class RestProxyEndpoints
{
    private static void MapV3Groups(RouteGroupBuilder cluster)
    {
        var groups = cluster.MapGroup("/consumer-groups");

        groups.MapGet("", async (HttpRequest request, BrokerIdentity broker, IGrainFactory grains) =>
        {
            var v3 = new V3Groups(new V3Resources(request, broker));
            var listed = await grains.GetGrain<IGroupCatalogGrain>(0).ListAsync();
            var described = await Task.WhenAll(listed.OrderBy(g => g.GroupId, StringComparer.Ordinal)
                .Select(async g => (g.GroupId, Description: await grains.GetGrain<IConsumerGroupGrain>(g.GroupId).DescribeAsync())));
            return V3Json(V3Resources.List("KafkaConsumerGroupList", v3.Resources.Url("/consumer-groups"),
                described.Where(d => d.Description.State != "Dead").Select(d => (JsonNode)v3.Group(d.GroupId, d.Description))));
        });

        groups.MapGet("/{group}", async (string group, HttpRequest request, BrokerIdentity broker, IGrainFactory grains) =>
            await DescribeAsync(grains, group) is { } description
                ? V3Json(new V3Groups(new V3Resources(request, broker)).Group(group, description))
                : GroupNotFound(group));

        groups.MapGet("/{group}/consumers", async (string group, HttpRequest request, BrokerIdentity broker, IGrainFactory grains) =>
        {
            if (await DescribeAsync(grains, group) is not { } description)
            {
                return GroupNotFound(group);
            }

            var v3 = new V3Groups(new V3Resources(request, broker));
            return V3Json(V3Resources.List("KafkaConsumerList", v3.Resources.Url($"/consumer-groups/{group}/consumers"),
                description.Members.Select(m => (JsonNode)v3.Consumer(group, m))));
        });

        groups.MapGet("/{group}/consumers/{consumer}", async (string group, string consumer, HttpRequest request, BrokerIdentity broker, IGrainFactory grains) =>
            await DescribeAsync(grains, group) is { } description && description.Members.FirstOrDefault(m => m.MemberId == consumer) is { } member
                ? V3Json(new V3Groups(new V3Resources(request, broker)).Consumer(group, member))
                : V3Error(StatusCodes.Status404NotFound, $"Consumer {consumer} not found in group {group}."));

        groups.MapGet("/{group}/consumers/{consumer}/assignments", async (string group, string consumer, HttpRequest request, BrokerIdentity broker, IGrainFactory grains) =>
        {
            if (await DescribeAsync(grains, group) is not { } description || description.Members.FirstOrDefault(m => m.MemberId == consumer) is not { } member)
            {
                return V3Error(StatusCodes.Status404NotFound, $"Consumer {consumer} not found in group {group}.");
            }

            var v3 = new V3Groups(new V3Resources(request, broker));
            return V3Json(V3Resources.List("KafkaConsumerAssignmentList", v3.Resources.Url($"/consumer-groups/{group}/consumers/{consumer}/assignments"),
                ConsumerProtocol.DecodeAssignment(member.Assignment).Select(a => (JsonNode)v3.Assignment(group, consumer, a.Topic, a.Partition))));
        });

        groups.MapGet("/{group}/lags", async (string group, HttpRequest request, BrokerIdentity broker, IGrainFactory grains) =>
        {
            if (await LagsAsync(grains, group) is not { } lags)
            {
                return GroupNotFound(group);
            }

            var v3 = new V3Groups(new V3Resources(request, broker));
            return V3Json(V3Resources.List("KafkaConsumerLagList", v3.Resources.Url($"/consumer-groups/{group}/lags"), lags.Select(l => (JsonNode)v3.Lag(group, l))));
        });

        groups.MapGet("/{group}/lags/{topic}/partitions/{partition:int}", async (string group, string topic, int partition, HttpRequest request, BrokerIdentity broker, IGrainFactory grains) =>
            await LagsAsync(grains, group) is { } lags && lags.FirstOrDefault(l => l.Topic == topic && l.Partition == partition) is { } lag
                ? V3Json(new V3Groups(new V3Resources(request, broker)).Lag(group, lag))
                : V3Error(StatusCodes.Status404NotFound, $"No lag for {topic}-{partition} in group {group}."));

        groups.MapGet("/{group}/lag-summary", async (string group, HttpRequest request, BrokerIdentity broker, IGrainFactory grains) =>
            await LagsAsync(grains, group) is { } lags
                ? V3Json(new V3Groups(new V3Resources(request, broker)).LagSummary(group, lags))
                : GroupNotFound(group));
    }

    private static async Task<GroupDescription?> DescribeAsync(IGrainFactory grains, string group)
    {
        var description = await grains.GetGrain<IConsumerGroupGrain>(group).DescribeAsync();
        return description.State == "Dead" ? null : description;
    }

    /// <summary>Every partition the group has committed, with its log end offset and the member it is assigned to (if any).</summary>
    private static async Task<List<PartitionLag>?> LagsAsync(IGrainFactory grains, string group)
    {
        if (await DescribeAsync(grains, group) is not { } description)
        {
            return null;
        }

        var owners = description.Members
            .SelectMany(m => ConsumerProtocol.DecodeAssignment(m.Assignment).Select(a => (a.Topic, a.Partition, Member: m)))
            .ToDictionary(a => (a.Topic, a.Partition), a => a.Member);
        var committed = await grains.GetGrain<IConsumerGroupGrain>(group).FetchOffsetsAsync(null);
        var lags = await Task.WhenAll(committed.Where(c => c.Offset >= 0).Select(async c =>
        {
            var end = (await PartitionGrainKey.Get(grains, c.Topic, c.Partition).GetOffsetsAsync()).HighWatermark;
            return new PartitionLag(c.Topic, c.Partition, c.Offset, end, owners.GetValueOrDefault((c.Topic, c.Partition)));
        }));
        return lags.OrderBy(l => l.Topic, StringComparer.Ordinal).ThenBy(l => l.Partition).ToList();
    }

    private static IResult GroupNotFound(string group) => V3Error(StatusCodes.Status404NotFound, $"Consumer group {group} not found.");
}

/// <summary>A committed partition of a group: how far the group is behind the log's end.</summary>
internal sealed record PartitionLag(string Topic, int Partition, long Current, long End, GroupMemberDescription? Owner)
{
    public long Lag => Math.Max(0, End - Current);
}

/// <summary>API v3's consumer group resources.</summary>
internal sealed partial class V3Groups(V3Resources resources)
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
    };

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

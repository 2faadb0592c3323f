using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.RestProxy.V3.Json;
using Tributary.Grains.Interfaces.Groups;
using Tributary.Grains.KafkaFormats.Messages;

using Tributary.Grains.KafkaFormats.Groups;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.RestProxy.V3;

/// <summary>API v3 consumer groups: the groups, their consumers, and the partitions assigned to each consumer.</summary>
internal static class ConsumerGroupsEndpoints
{
    public static void Map(RouteGroupBuilder cluster)
    {
        var groups = cluster.MapGroup("/consumer-groups");
        groups.MapGet("", ListAsync);
        groups.MapGet("/{group}", GetAsync).RequireKafkaAcl(AclOperation.Describe, AclResourceType.Group, "group");
        groups.MapGet("/{group}/consumers", ListConsumersAsync).RequireKafkaAcl(AclOperation.Describe, AclResourceType.Group, "group");
        groups.MapGet("/{group}/consumers/{consumer}", GetConsumerAsync).RequireKafkaAcl(AclOperation.Describe, AclResourceType.Group, "group");
        groups.MapGet("/{group}/consumers/{consumer}/assignments", ListAssignmentsAsync).RequireKafkaAcl(AclOperation.Describe, AclResourceType.Group, "group");
    }

    private static async Task<IResult> ListAsync(HttpRequest request, BrokerIdentity broker, IGrainFactory grains, BrokerAuthorizer authorizer)
    {
        var v3 = new ConsumerGroupResources(new V3Resources(request, broker));
        var listed = await grains.GetGrain<IGroupCatalogGrain>(0).ListAsync();
        var visible = (await RestAcls.DescribableAsync(request.HttpContext, authorizer, AclResourceType.Group, listed.Select(g => g.GroupId))).ToHashSet(StringComparer.Ordinal);
        var described = await Task.WhenAll(listed.Where(g => visible.Contains(g.GroupId)).OrderBy(g => g.GroupId, StringComparer.Ordinal)
            .Select(async g => (g.GroupId, Description: await grains.GetGrain<IConsumerGroupGrain>(g.GroupId).DescribeAsync())));
        return V3Http.Json(V3Resources.List("KafkaConsumerGroupList", v3.Resources.Url("/consumer-groups"),
            described.Where(d => d.Description.State != "Dead").Select(d => (JsonNode)v3.Group(d.GroupId, d.Description))));
    }

    private static async Task<IResult> GetAsync(string group, HttpRequest request, BrokerIdentity broker, IGrainFactory grains) =>
        await ConsumerGroupQueries.DescribeAsync(grains, group) is { } description
            ? V3Http.Json(new ConsumerGroupResources(new V3Resources(request, broker)).Group(group, description))
            : GroupNotFound(group);

    private static async Task<IResult> ListConsumersAsync(string group, HttpRequest request, BrokerIdentity broker, IGrainFactory grains)
    {
        if (await ConsumerGroupQueries.DescribeAsync(grains, group) is not { } description)
        {
            return GroupNotFound(group);
        }

        var v3 = new ConsumerGroupResources(new V3Resources(request, broker));
        return V3Http.Json(V3Resources.List("KafkaConsumerList", v3.Resources.Url($"/consumer-groups/{group}/consumers"),
            description.Members.Select(m => (JsonNode)v3.Consumer(group, m))));
    }

    private static async Task<IResult> GetConsumerAsync(string group, string consumer, HttpRequest request, BrokerIdentity broker, IGrainFactory grains) =>
        await MemberAsync(grains, group, consumer) is { } member
            ? V3Http.Json(new ConsumerGroupResources(new V3Resources(request, broker)).Consumer(group, member))
            : ConsumerNotFound(group, consumer);

    private static async Task<IResult> ListAssignmentsAsync(string group, string consumer, HttpRequest request, BrokerIdentity broker, IGrainFactory grains)
    {
        if (await MemberAsync(grains, group, consumer) is not { } member)
        {
            return ConsumerNotFound(group, consumer);
        }

        var v3 = new ConsumerGroupResources(new V3Resources(request, broker));
        return V3Http.Json(V3Resources.List("KafkaConsumerAssignmentList", v3.Resources.Url($"/consumer-groups/{group}/consumers/{consumer}/assignments"),
            ConsumerProtocol.DecodeAssignment(member.Assignment).Select(a => (JsonNode)v3.Assignment(group, consumer, a.Topic, a.Partition))));
    }

    private static async Task<GroupMemberDescription?> MemberAsync(IGrainFactory grains, string group, string consumer) =>
        (await ConsumerGroupQueries.DescribeAsync(grains, group))?.Members.FirstOrDefault(m => m.MemberId == consumer);

    private static IResult GroupNotFound(string group) => V3Http.Error(StatusCodes.Status404NotFound, $"Consumer group {group} not found.");

    private static IResult ConsumerNotFound(string group, string consumer) =>
        V3Http.Error(StatusCodes.Status404NotFound, $"Consumer {consumer} not found in group {group}.");
}

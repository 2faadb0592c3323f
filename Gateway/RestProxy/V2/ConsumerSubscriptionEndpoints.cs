using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.RestProxy.V2.Json;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.RestProxy.V2;

/// <summary>API v2: a consumer instance's subscription, to topics by name or by pattern (its group assigns the partitions).</summary>
internal static class ConsumerSubscriptionEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var subscription = api.MapGroup(ConsumerInstances.Route + "/subscription");
        subscription.MapPost("", SubscribeAsync).RequireKafkaAcl(AclOperation.Read, AclResourceType.Group, "group");
        subscription.MapGet("", GetAsync).RequireKafkaAcl(AclOperation.Read, AclResourceType.Group, "group");
        subscription.MapDelete("", UnsubscribeAsync).RequireKafkaAcl(AclOperation.Read, AclResourceType.Group, "group");
    }

    private static async Task<IResult> SubscribeAsync(string group, string instance, HttpRequest request, IGrainFactory grains)
    {
        var (body, error) = await RestHttp.ReadAsync<ConsumerSubscriptionRecord>(request);
        return body is null
            ? error!
            : ConsumerInstances.Status(await ConsumerInstances.Get(grains, group, instance).SubscribeAsync(body.Topics, body.TopicPattern));
    }

    /// <summary>The subscription, less the topics the caller may not describe (as Metadata would leave them out).</summary>
    private static async Task<IResult> GetAsync(string group, string instance, HttpContext context, IGrainFactory grains, BrokerAuthorizer authorizer)
    {
        var result = await ConsumerInstances.Get(grains, group, instance).GetSubscriptionAsync();
        var describable = await RestAcls.DescribableAsync(context, authorizer, AclResourceType.Topic, result.Value ?? []);
        return ConsumerInstances.Answer(result, _ => RestHttp.Json(new ConsumerSubscriptionRecord(describable.ToList(), null)));
    }

    private static async Task<IResult> UnsubscribeAsync(string group, string instance, IGrainFactory grains) =>
        ConsumerInstances.Status(await ConsumerInstances.Get(grains, group, instance).UnsubscribeAsync());
}

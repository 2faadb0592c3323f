using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Gateway.Kafka;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.RestProxy;

/// <summary>
/// The Kafka ACLs for the REST Proxy's users: with an authorizer on, each call acts as its caller's principal
/// (<c>User:</c> and the name HTTP authentication gave, else <c>User:ANONYMOUS</c>) from the caller's address, and
/// needs what the Kafka request doing its work would need (WRITE on a topic to produce to it, READ on a group and its
/// topics to consume, DESCRIBE to see a topic or a group ...). A refusal is Confluent's: 403 with error code 40301
/// and the message of Kafka's authorization exception. Lists leave out what the caller may not describe.
/// </summary>
internal static class RestAcls
{
    /// <summary>Confluent's error code for a Kafka authorization failure.</summary>
    public const int AuthorizationFailed = 40301;

    /// <summary>Refuses the call unless its caller may do <paramref name="operation"/> to the resource its route names (the cluster when <paramref name="routeValue"/> is null).</summary>
    public static RouteHandlerBuilder RequireKafkaAcl(this RouteHandlerBuilder endpoint, AclOperation operation, AclResourceType resourceType, string? routeValue = null) =>
        endpoint.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            var authorizer = context.RequestServices.GetRequiredService<BrokerAuthorizer>();
            if (!authorizer.Enabled)
            {
                return await next(invocation);
            }

            var name = routeValue is null ? AclBinding.ClusterName : context.GetRouteValue(routeValue) as string ?? string.Empty;
            return await AllowsAsync(context, authorizer, operation, resourceType, name)
                ? await next(invocation)
                : Forbidden(context, resourceType, [name]);
        });

    /// <summary>Whether the caller may do <paramref name="operation"/> to the resource (after the broker's first read of the ACLs).</summary>
    public static async Task<bool> AllowsAsync(
        HttpContext context, BrokerAuthorizer authorizer, AclOperation operation, AclResourceType resourceType, string name, bool logIfDenied = true)
    {
        if (!authorizer.Enabled)
        {
            return true;
        }

        await authorizer.ReadyAsync(context.RequestAborted);
        return authorizer.Authorize(PrincipalOf(context), HostOf(context), operation, resourceType, name, logIfDenied ? $"REST {context.Request.Method} {context.Request.Path}" : null);
    }

    /// <summary>
    /// Of <paramref name="names"/>, those the caller may describe, asked quietly (as Kafka filters Metadata); for groups,
    /// all of them when the caller may describe the cluster, as Kafka's ListGroups.
    /// </summary>
    public static async Task<IReadOnlyList<string>> DescribableAsync(HttpContext context, BrokerAuthorizer authorizer, AclResourceType resourceType, IEnumerable<string> names)
    {
        if (!authorizer.Enabled)
        {
            return [.. names];
        }

        await authorizer.ReadyAsync(context.RequestAborted);
        var (principal, host) = (PrincipalOf(context), HostOf(context));
        if (resourceType == AclResourceType.Group
            && authorizer.Authorize(principal, host, AclOperation.Describe, AclResourceType.Cluster, AclBinding.ClusterName, loggedAs: null))
        {
            return [.. names];
        }

        return [.. names.Where(n => authorizer.Authorize(principal, host, AclOperation.Describe, resourceType, n, loggedAs: null))];
    }

    /// <summary>Of <paramref name="names"/>, those the caller may not do <paramref name="operation"/> to (each asked once).</summary>
    public static async Task<IReadOnlyList<string>> RefusedAsync(
        HttpContext context, BrokerAuthorizer authorizer, AclOperation operation, AclResourceType resourceType, IEnumerable<string> names)
    {
        var refused = new List<string>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
        {
            if (!await AllowsAsync(context, authorizer, operation, resourceType, name))
            {
                refused.Add(name);
            }
        }

        return refused;
    }

    /// <summary>The message of the Kafka clients' TopicAuthorizationException.</summary>
    public static string TopicsRefused(IEnumerable<string> topics) => $"Not authorized to access topics: [{string.Join(", ", topics)}]";

    /// <summary>
    /// Confluent's 403 for a refused resource, in the API version's media type, with the message of the exception its
    /// Kafka client would have thrown: the producer's and consumer's name the topics or the group (v2, and v3 records);
    /// the admin client's, behind the other v3 calls, are Kafka's plain error messages.
    /// </summary>
    public static IResult Forbidden(HttpContext context, AclResourceType resourceType, IReadOnlyCollection<string> names)
    {
        var path = context.Request.Path;
        var admin = path.StartsWithSegments("/v3") && !(path.Value ?? "").EndsWith("/records", StringComparison.Ordinal);
        var message = resourceType switch
        {
            AclResourceType.Topic => admin ? "Topic authorization failed." : TopicsRefused(names),
            AclResourceType.Group => admin ? "Group authorization failed." : $"Not authorized to access group: {names.FirstOrDefault()}",
            AclResourceType.TransactionalId => "Transactional Id authorization failed.",
            _ => "Cluster authorization failed.",
        };
        return RestHttp.Error(AuthorizationFailed, message, path.StartsWithSegments("/v3") ? V3.V3Http.ContentType : RestHttp.V2);
    }

    private static string PrincipalOf(HttpContext context) => HttpCallers.PrincipalOf(context);

    private static string HostOf(HttpContext context) => HttpCallers.HostOf(context);
}

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Gateway.Kafka.Acls;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Connect;

/// <summary>
/// Connect's API is an administrator's: with Kafka's authorizer on, its caller (the principal HTTP authentication or a
/// client certificate names, else <c>User:ANONYMOUS</c>) needs Kafka's admin rights on the cluster, DESCRIBE to read
/// (ALTER implies it) and ALTER to change anything, as super users have. Connectors act on the whole cluster's topics
/// with the worker's own rights, so nothing less would do. The version and health routes stay open to probes. A
/// refusal is 403 with Connect's error body and a rate-limited log line in Kafka's words.
/// </summary>
internal static class ConnectAcls
{
    public static async ValueTask<object?> RequireAdminAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var authorizer = context.RequestServices.GetRequiredService<BrokerAuthorizer>();
        if (!authorizer.Enabled || IsOpen(context.Request))
        {
            return await next(invocation);
        }

        await authorizer.ReadyAsync(context.RequestAborted);
        var method = context.Request.Method;
        var operation = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? AclOperation.Describe : AclOperation.Alter;
        var principal = HttpCallers.PrincipalOf(context);
        return authorizer.Authorize(principal, HttpCallers.HostOf(context), operation, AclResourceType.Cluster, AclBinding.ClusterName, $"Connect {method} {context.Request.Path}")
            ? await next(invocation)
            : ConnectHttp.Error(StatusCodes.Status403Forbidden,
                $"{principal} may not use Connect's API: it needs {(operation == AclOperation.Alter ? "ALTER" : "DESCRIBE")} on the Kafka cluster");
    }

    /// <summary>The worker's version (<c>GET /</c>) and health (<c>GET /health</c>, KIP-1017), which probes ask without being admins.</summary>
    private static bool IsOpen(HttpRequest request) =>
        HttpMethods.IsGet(request.Method) && request.Path.Value is "/" or "" or "/health";
}

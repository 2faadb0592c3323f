using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Tributary.Gateway.Tls;

namespace Tributary.Gateway.Kafka.Acls;

/// <summary>An HTTP API's caller as ACLs name it: the principal and the host.</summary>
public static class HttpCallers
{
    /// <summary>
    /// The caller as a Kafka principal: <c>User:</c> and the name HTTP authentication gave it; else, over mutual TLS,
    /// the principal its certificate maps to (as on a Kafka SSL listener); else anonymous.
    /// </summary>
    public static string PrincipalOf(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? "User:" + name
        : context.RequestServices.GetService<HttpTlsPrincipals>()?.PrincipalOf(context.Connection.LocalPort, context.Connection.ClientCertificate)
            ?? KafkaSession.Anonymous;

    /// <summary>The caller's address as ACL hosts name it (IPv4 clients of a dual-mode socket as IPv4).</summary>
    public static string HostOf(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address ? KafkaSession.ClientHostOf(new IPEndPoint(address, 0)).TrimStart('/') : string.Empty;
}

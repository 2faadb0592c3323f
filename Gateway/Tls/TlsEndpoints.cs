using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Tributary.Gateway.Tls;

/// <summary>TLS on a Kestrel endpoint: every connection's handshake, then its principal (<see cref="TlsPrincipalFeature"/>).</summary>
public static class TlsEndpoints
{
    /// <summary>
    /// Serves <paramref name="endpoint"/> over TLS as <paramref name="server"/> says. Where TLS
    /// <paramref name="authenticatesClients"/>, client certificates are asked for as <c>ClientAuth</c> says; where they
    /// also <paramref name="namePrincipals"/>, one that no principal mapping rule applies to closes the connection, as a
    /// failed authentication does in Kafka. On SASL_SSL a certificate may be asked for, but SASL names the principal.
    /// </summary>
    public static ListenOptions UseTls(this ListenOptions endpoint, TlsServer server, bool authenticatesClients = true, bool? namePrincipals = null)
    {
        var mapped = namePrincipals ?? authenticatesClients;
        endpoint.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult(server.HandshakeOptions(authenticatesClients)),
            HandshakeTimeout = TlsServer.HandshakeTimeout,
        });
        endpoint.Use(next => connection =>
        {
            string? principal = null;
            if (mapped && connection.Features.Get<ITlsConnectionFeature>()?.ClientCertificate is { } certificate)
            {
                principal = server.PrincipalOf(certificate);
                if (principal is null)
                {
                    connection.Abort();
                    return Task.CompletedTask;
                }
            }

            connection.Features.Set(new TlsPrincipalFeature(principal));
            return next(connection);
        });
        return endpoint;
    }
}

using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace Tributary.Gateway.Tls;

/// <summary>
/// The TLS servers of the HTTP ports, by local port: what names an HTTP caller by its client certificate (the
/// port's <c>PrincipalMappingRules</c> over the certificate's subject), as a Kafka SSL listener names its clients.
/// </summary>
public sealed class HttpTlsPrincipals
{
    private readonly ConcurrentDictionary<int, TlsServer> _byPort = new();

    /// <summary>Notes that <paramref name="port"/> is served over TLS by <paramref name="server"/>.</summary>
    public void Serve(int port, TlsServer server) => _byPort[port] = server;

    /// <summary>The principal the certificate a caller of <paramref name="localPort"/> presented names, or null.</summary>
    public string? PrincipalOf(int localPort, X509Certificate2? certificate) =>
        certificate is not null && _byPort.TryGetValue(localPort, out var server) ? server.PrincipalOf(certificate) : null;
}

using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Connections.Security;
using Tributary.Gateway.Tls;
using TlsOptions = Tributary.Gateway.Tls.TlsOptions;

namespace Tributary.Silo.Cluster;

/// <summary>
/// TLS between silos (<c>Tributary:Cluster:Ssl</c>, with the Kafka listeners' <c>ssl.*</c> names): every silo-to-silo
/// connection is mutual TLS, each silo presenting its keystore's certificate and accepting only a peer whose
/// certificate chains to a root of its truststore, as a broker's inter-broker listener with
/// <c>ssl.client.auth=required</c>. Silos are reached by address, so the peer's name is not checked: the truststore
/// decides. The stores are read again when their files change, for connections made from then on.
/// </summary>
internal static class ClusterTls
{
    public const string Section = "Tributary:Cluster:Ssl";

    public static ISiloBuilder UseClusterTls(this ISiloBuilder silo, IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        if (!section.Exists())
        {
            return silo;
        }

        KnownSettings.Check(section, typeof(TlsOptions));
        var options = section.Get<TlsOptions>() ?? new();
        if (!options.HasKeystore || !options.HasTruststore)
        {
            throw new InvalidOperationException($"{Section}: silos authenticate each other, so a keystore and a truststore are both needed.");
        }

        if (!string.Equals(options.ClientAuth, "none", StringComparison.OrdinalIgnoreCase) && !string.Equals(options.ClientAuth, "required", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{Section}:ClientAuth: silos always require each other's certificate; leave it unset or required.");
        }

        options.ClientAuth = "required";
        var server = TlsServer.Create(options, Section, NullLogger.Instance);
        return silo.UseTls(tls =>
        {
            tls.RemoteCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
            tls.SslProtocols = server.Protocols;

            // Orleans checks this one at start; the selectors give the keystore as it is when each connection is made.
            tls.LocalCertificate = Certificate(server);
            tls.LocalServerCertificateSelector = (_, _) => Certificate(server);
            tls.LocalClientCertificateSelector = (_, _, _, _, _) => Certificate(server);
            tls.RemoteCertificateValidation = (certificate, _, _) =>
            {
                using var chain = new X509Chain { ChainPolicy = server.ChainPolicy(usage: null) };
                return chain.Build(certificate);
            };
        });
    }

    /// <summary>The keystore's certificate as it is now.</summary>
    private static X509Certificate2 Certificate(TlsServer server) =>
        server.HandshakeOptions().ServerCertificateContext?.TargetCertificate
            ?? throw new InvalidOperationException($"{Section}: the keystore holds no certificate.");
}

using System.Net.Security;
using System.Security.Cryptography;
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
/// <c>ssl.client.auth=required</c>. A peer's certificate must allow both server and client authentication, so that a
/// Kafka client's certificate from the same authority is no silo's (give the cluster an authority of its own all the
/// same). Silos are reached by address, so the peer's name is not checked: the truststore decides, and nothing a
/// certificate names is fetched. The stores are read again when their files change, for connections made from then on.
/// </summary>
internal static class ClusterTls
{
    public const string Section = "Tributary:Cluster:Ssl";

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");

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
            // .NET's own check of the peer would fetch what its certificate names: it gets the truststore's policy instead.
            tls.OnAuthenticateAsServer = (_, handshake) => ((SslServerAuthenticationOptions)handshake.SslServerAuthenticationOptions).CertificateChainPolicy = PeerPolicy(server);
            tls.OnAuthenticateAsClient = (_, handshake) => ((SslClientAuthenticationOptions)handshake.SslClientAuthenticationOptions).CertificateChainPolicy = PeerPolicy(server);
            tls.RemoteCertificateValidation = (certificate, chain, _) => IsPeer(server, certificate, chain);
        });
    }

    /// <summary>A silo is server and client of its peers: its certificate must chain to the truststore and allow both.</summary>
    private static X509ChainPolicy PeerPolicy(TlsServer server) => server.ChainPolicy(ServerAuthentication, ClientAuthentication);

    /// <summary>
    /// Whether the peer is a silo: its certificate, with the intermediates it sent, chains to a root of the truststore
    /// and allows both uses. The peer's name is not asked: silos are reached by address.
    /// </summary>
    private static bool IsPeer(TlsServer server, X509Certificate2 certificate, X509Chain? sent)
    {
        using var chain = new X509Chain { ChainPolicy = PeerPolicy(server) };
        if (sent is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(sent.ChainPolicy.ExtraStore);
        }

        try
        {
            return chain.Build(certificate);
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                element.Certificate.Dispose();
            }
        }
    }

    /// <summary>The keystore's certificate as it is now.</summary>
    private static X509Certificate2 Certificate(TlsServer server) =>
        server.HandshakeOptions().ServerCertificateContext?.TargetCertificate
            ?? throw new InvalidOperationException($"{Section}: the keystore holds no certificate.");
}

using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Confluent.Kafka;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Kafka.Security;

/// <summary>
/// Kafka's per-listener TLS settings (<c>listener.name.&lt;name&gt;.ssl.*</c> as
/// <c>Tributary:Kafka:ListenerName:&lt;NAME&gt;:Ssl</c>): each setting a listener gives replaces the shared one for that
/// listener alone. The shared settings require client certificates that the mapping rule names (O=Acme). CLIENTS
/// serves the shared keystore and asks for no certificate (its shared truststore dropped); INTERNAL serves its own
/// keystore and requires certificates as shared; SASLCERT, a SASL_SSL listener, requires a certificate as well as SASL,
/// which Kafka allows only through the listener's own <c>ssl.client.auth</c>, and as in Kafka maps no principal
/// from it.
/// </summary>
public sealed class PerListenerTlsTests(PerListenerTlsTests.PerListenerBroker broker) : IClassFixture<PerListenerTlsTests.PerListenerBroker>
{
    public sealed class PerListenerBroker : BrokerFixture
    {
        public TestCertificates Certificates { get; } = new();

        public int ClientsPort { get; } = TestPorts.Next();

        public int InternalPort { get; } = TestPorts.Next();

        public int SaslCertPort { get; } = TestPorts.Next();

        protected override IReadOnlyList<string> Settings
        {
            get
            {
                var shared = Path.Combine(Certificates.Directory, "shared.pem");
                var own = Path.Combine(Certificates.Directory, "internal.pem");
                if (!File.Exists(shared))
                {
                    Certificates.WritePem("shared.pem", Certificates.IssueServer("CN=localhost,O=Shared"));
                    Certificates.WritePem("internal.pem", Certificates.IssueServer("CN=localhost,O=Internal"));
                }

                return
                [
                    "--Tributary:Kafka:Listeners", $"PLAINTEXT://:{KafkaPort},CLIENTS://:{ClientsPort},INTERNAL://:{InternalPort},SASLCERT://:{SaslCertPort}",
                    "--Tributary:Kafka:ListenerSecurityProtocolMap", "PLAINTEXT:PLAINTEXT,CLIENTS:SSL,INTERNAL:SSL,SASLCERT:SASL_SSL",
                    "--Tributary:Kafka:Ssl:KeystoreType", "PEM",
                    "--Tributary:Kafka:Ssl:KeystoreLocation", shared,
                    "--Tributary:Kafka:Ssl:ClientAuth", "required",
                    "--Tributary:Kafka:Ssl:TruststoreType", "PEM",
                    "--Tributary:Kafka:Ssl:TruststoreLocation", Certificates.AuthorityPem,
                    "--Tributary:Kafka:Ssl:PrincipalMappingRules", "RULE:^CN=([^,]+),O=Acme$/$1/L",
                    "--Tributary:Kafka:ListenerName:CLIENTS:Ssl:ClientAuth", "none",
                    "--Tributary:Kafka:ListenerName:INTERNAL:Ssl:KeystoreLocation", own,
                    "--Tributary:Kafka:ListenerName:saslcert:Ssl:ClientAuth", "required",
                    "--Tributary:Kafka:Sasl:PlainUsers:alice", "alice-secret",
                ];
            }
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            Certificates.Dispose();
        }
    }

    private ClientConfig Client(int port, X509Certificate2? certificate, string name, bool sasl = false)
    {
        var config = new ClientConfig
        {
            BootstrapServers = $"localhost:{port}",
            SecurityProtocol = sasl ? SecurityProtocol.SaslSsl : SecurityProtocol.Ssl,
            SslCaLocation = broker.Certificates.AuthorityPem,
        };
        if (sasl)
        {
            (config.SaslMechanism, config.SaslUsername, config.SaslPassword) = (SaslMechanism.Plain, "alice", "alice-secret");
        }

        if (certificate is not null)
        {
            (config.SslCertificateLocation, config.SslKeyLocation) = broker.Certificates.WritePemPair(name, certificate);
        }

        return config;
    }

    private async Task ProducesAsync(ClientConfig config, string topic)
    {
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig(config) { MessageTimeoutMs = 20000 }).Build();
        var delivered = await producer.ProduceAsync(topic, new Message<Null, string> { Value = "through " + config.BootstrapServers });
        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
    }

    [Fact]
    public async Task AListenerWithoutSettingsOfItsOwn_ServesTheSharedOnes()
    {
        await broker.CreateAsync("per-listener-clients", 1);

        Assert.Equal("CN=localhost, O=Shared", (await HandshakeAsync(broker.ClientsPort, null)).Subject);
        await ProducesAsync(Client(broker.ClientsPort, null, "none"), "per-listener-clients");
    }

    [Fact]
    public async Task AListenersOwnKeystoreAndClientAuth_HoldOnThatListenerAlone()
    {
        await broker.CreateAsync("per-listener-internal", 1);
        var alice = broker.Certificates.IssueClient("CN=alice,O=Acme");

        Assert.Equal("CN=localhost, O=Internal", (await HandshakeAsync(broker.InternalPort, alice)).Subject);
        await ProducesAsync(Client(broker.InternalPort, alice, "alice-internal"), "per-listener-internal");
        var refused = ClientErrors.First(Client(broker.InternalPort, null, "none"));
        Assert.True(refused.Code is ErrorCode.Local_Ssl or ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown, refused.ToString());

        // The shared mapping rule holds here: a certificate it does not name is no principal.
        var unmapped = ClientErrors.First(Client(broker.InternalPort, broker.Certificates.IssueClient("CN=carol,O=Other"), "carol-internal"));
        Assert.True(unmapped.Code is ErrorCode.Local_Ssl or ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown, unmapped.ToString());
    }

    [Fact]
    public async Task ASaslSslListenersOwnClientAuth_AsksForACertificateAsWellAsSasl()
    {
        await broker.CreateAsync("per-listener-sasl", 1);
        var alice = broker.Certificates.IssueClient("CN=alice,O=Acme");

        await ProducesAsync(Client(broker.SaslCertPort, alice, "alice-sasl", sasl: true), "per-listener-sasl");

        // SASL names the principal, so the mapping rules do not judge the certificate: one they do not name serves too.
        await ProducesAsync(Client(broker.SaslCertPort, broker.Certificates.IssueClient("CN=carol,O=Other"), "carol-sasl", sasl: true), "per-listener-sasl");
        var refused = ClientErrors.First(Client(broker.SaslCertPort, null, "none", sasl: true));
        Assert.True(refused.Code is ErrorCode.Local_Ssl or ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown, refused.ToString());
    }

    /// <summary>The certificate the listener presents to a TLS client offering <paramref name="certificate"/>.</summary>
    private static async Task<X509Certificate2> HandshakeAsync(int port, X509Certificate2? certificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("localhost", port);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificates = certificate is null ? null : [certificate],
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
        });
        return new X509Certificate2(tls.RemoteCertificate!);
    }
}

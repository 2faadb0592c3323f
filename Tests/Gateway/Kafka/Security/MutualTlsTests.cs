using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Confluent.Kafka;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Kafka.Security;

/// <summary>
/// An SSL listener with Kafka's mutual TLS settings (<c>ssl.client.auth=required</c>, a PKCS12 keystore, a PEM
/// truststore, <c>ssl.enabled.protocols=TLSv1.2</c>, <c>ssl.principal.mapping.rules</c> that accept the service users'
/// organisational unit alone): a client whose certificate the authority issued produces and consumes; one without a
/// certificate, with one no trusted authority issued, one for servers, or one no mapping rule applies to is refused.
/// </summary>
public sealed class MutualTlsTests(MutualTlsTests.MutualTlsBroker broker) : IClassFixture<MutualTlsTests.MutualTlsBroker>
{
    public sealed class MutualTlsBroker : BrokerFixture
    {
        public TestCertificates Certificates { get; } = new();

        public int SslPort { get; } = TestPorts.Next();

        protected override IReadOnlyList<string> Settings
        {
            get
            {
                var keystore = Path.Combine(Certificates.Directory, "server.p12");
                if (!File.Exists(keystore))
                {
                    Certificates.WritePkcs12("server.p12", Certificates.IssueServer());
                }

                return
                [
                    "--Tributary:Kafka:Listeners", $"PLAINTEXT://:{KafkaPort},SSL://:{SslPort}",
                    "--Tributary:Kafka:Ssl:KeystoreLocation", keystore,
                    "--Tributary:Kafka:Ssl:KeystorePassword", TestCertificates.Password,
                    "--Tributary:Kafka:Ssl:TruststoreType", "PEM",
                    "--Tributary:Kafka:Ssl:TruststoreLocation", Certificates.AuthorityPem,
                    "--Tributary:Kafka:Ssl:ClientAuth", "required",
                    "--Tributary:Kafka:Ssl:EnabledProtocols", "TLSv1.2",
                    "--Tributary:Kafka:Ssl:PrincipalMappingRules", "RULE:^CN=([^,]+),OU=ServiceUsers,.*$/$1/L",
                ];
            }
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            Certificates.Dispose();
        }
    }

    private ClientConfig WithCertificate(X509Certificate2? certificate, string name)
    {
        var config = new ClientConfig
        {
            BootstrapServers = $"localhost:{broker.SslPort}",
            SecurityProtocol = SecurityProtocol.Ssl,
            SslCaLocation = broker.Certificates.AuthorityPem,
        };
        if (certificate is not null)
        {
            (config.SslCertificateLocation, config.SslKeyLocation) = broker.Certificates.WritePemPair(name, certificate);
        }

        return config;
    }

    [Fact]
    public async Task AClientWithACertificateTheAuthorityIssued_ProducesAndConsumes()
    {
        const string topic = "mtls";
        await broker.CreateAsync(topic, 1);
        var client = WithCertificate(broker.Certificates.IssueClient("CN=Alice,OU=ServiceUsers,O=Acme,C=US"), "alice");
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig(client)).Build())
        {
            await producer.ProduceAsync(topic, new Message<Null, string> { Value = "from alice's certificate" });
        }

        using var consumer = new ConsumerBuilder<Null, string>(new ConsumerConfig(client)
        {
            GroupId = "mtls-group",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);

        Assert.Equal(["from alice's certificate"], ConsumedValues.Take(consumer, 1, TimeSpan.FromSeconds(30)));
        consumer.Close();
    }

    [Fact]
    public async Task AClientWithoutACertificate_IsRefused()
    {
        var error = ClientErrors.First(WithCertificate(null, "none"));

        Assert.True(error.Code is ErrorCode.Local_Ssl or ErrorCode.Local_Transport or ErrorCode.Local_AllBrokersDown, error.ToString());
        await AssertHandshakeRefusedAsync(null);
    }

    [Fact]
    public async Task AClientWithACertificateNoTrustedAuthorityIssued_IsRefused()
    {
        var mallory = TestCertificates.SelfSigned("CN=Mallory,OU=ServiceUsers,O=Acme,C=US");

        AssertNoMetadata(WithCertificate(mallory, "mallory"));
        await AssertHandshakeRefusedAsync(mallory);
    }

    [Fact]
    public async Task AServerCertificateOfTheAuthority_IsNoClientCertificate()
    {
        var server = broker.Certificates.Issue("CN=Alice,OU=ServiceUsers,O=Acme,C=US", server: true);

        AssertNoMetadata(WithCertificate(server, "server-as-client"));
        await AssertHandshakeRefusedAsync(server);
    }

    [Fact]
    public async Task AClientWhoseCertificateNoMappingRuleAppliesTo_IsRefused()
    {
        var eve = broker.Certificates.IssueClient("CN=Eve,OU=Contractors,O=Acme,C=US");

        AssertNoMetadata(WithCertificate(eve, "eve"));
        await AssertHandshakeRefusedAsync(eve);
    }

    [Fact]
    public async Task OnlyTheEnabledProtocol_IsNegotiated()
    {
        var alice = broker.Certificates.IssueClient("CN=Alice,OU=ServiceUsers,O=Acme,C=US");

        Assert.Equal(SslProtocols.Tls12, await NegotiateAsync(alice, SslProtocols.Tls12 | SslProtocols.Tls13));
        await Assert.ThrowsAsync<AuthenticationException>(() => NegotiateAsync(alice, SslProtocols.Tls13));
    }

    /// <summary>
    /// The broker refuses the client: its handshake fails, or (as a .NET server checks a client certificate once the
    /// handshake is done) the connection is closed before a byte is answered.
    /// </summary>
    private async Task AssertHandshakeRefusedAsync(X509Certificate2? certificate)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("localhost", broker.SslPort);
        await using var tls = new SslStream(tcp.GetStream());
        try
        {
            await tls.AuthenticateAsClientAsync(Options(certificate, SslProtocols.Tls12));
            var read = await tls.ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            Assert.Equal(0, read);
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
        }
    }

    private static SslClientAuthenticationOptions Options(X509Certificate2? certificate, SslProtocols offered) => new()
    {
        TargetHost = "localhost",
        EnabledSslProtocols = offered,
        ClientCertificates = certificate is null ? null : [certificate],
        RemoteCertificateValidationCallback = (_, _, _, _) => true,
    };

    private static void AssertNoMetadata(ClientConfig config)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig(config)).Build();
        var e = Assert.Throws<KafkaException>(() => admin.GetMetadata(TimeSpan.FromSeconds(5)));
        Assert.True(e.Error.IsLocalError, e.Error.ToString());
    }

    private async Task<SslProtocols> NegotiateAsync(X509Certificate2 certificate, SslProtocols offered)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("localhost", broker.SslPort);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(Options(certificate, offered));
        return tls.SslProtocol;
    }
}

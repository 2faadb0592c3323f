using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Kafka.Security;

/// <summary>
/// SSL and SASL_SSL listeners beside the PLAINTEXT one, with a PEM keystore, and the Schema Registry over HTTPS with a
/// PKCS12 one: clients set up as for Kafka (<c>security.protocol=SSL</c>, <c>ssl.ca.location</c>) connect,
/// produce and consume; a client that does not trust the certificate, or speaks plain Kafka to a TLS port, gets nowhere;
/// a renewed keystore file is served to new connections without a restart.
/// </summary>
public sealed class TlsListenerTests(TlsListenerTests.TlsBroker broker) : IClassFixture<TlsListenerTests.TlsBroker>
{
    public sealed class TlsBroker : BrokerFixture
    {
        public TestCertificates Certificates { get; } = new();

        public int SslPort { get; } = TestPorts.Next();

        public int SaslSslPort { get; } = TestPorts.Next();

        public string KeystorePem => Path.Combine(Certificates.Directory, "server.pem");

        public string RegistryHttpsUrl => $"https://localhost:{RegistryPort}";

        protected override IReadOnlyList<string> Settings
        {
            get
            {
                if (!File.Exists(KeystorePem))
                {
                    Certificates.WritePem("server.pem", Certificates.IssueServer());
                    Certificates.WritePkcs12("registry.p12", Certificates.IssueServer());
                }

                return
                [
                    "--Tributary:Kafka:Listeners", $"PLAINTEXT://:{KafkaPort},SSL://:{SslPort},SASL_SSL://:{SaslSslPort}",
                    "--Tributary:Kafka:Ssl:KeystoreType", "PEM",
                    "--Tributary:Kafka:Ssl:KeystoreLocation", KeystorePem,
                    "--Tributary:Kafka:Sasl:PlainUsers:alice", "alice-secret",
                    "--Tributary:SchemaRegistry:Ssl:KeystoreLocation", Path.Combine(Certificates.Directory, "registry.p12"),
                    "--Tributary:SchemaRegistry:Ssl:KeystorePassword", TestCertificates.Password,
                ];
            }
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            Certificates.Dispose();
        }
    }

    private ClientConfig Ssl() => new()
    {
        BootstrapServers = $"localhost:{broker.SslPort}",
        SecurityProtocol = SecurityProtocol.Ssl,
        SslCaLocation = broker.Certificates.AuthorityPem,
    };

    private ClientConfig SaslSsl(string password) => new()
    {
        BootstrapServers = $"localhost:{broker.SaslSslPort}",
        SecurityProtocol = SecurityProtocol.SaslSsl,
        SslCaLocation = broker.Certificates.AuthorityPem,
        SaslMechanism = SaslMechanism.Plain,
        SaslUsername = "alice",
        SaslPassword = password,
    };

    [Fact]
    public async Task SslClients_ProduceAndConsume_AndAreToldTheSslListenersAddress()
    {
        const string topic = "tls-ssl";
        await broker.CreateAsync(topic, 1);

        using (var admin = new AdminClientBuilder(new AdminClientConfig(Ssl())).Build())
        {
            var seen = Assert.Single(admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers);
            Assert.Equal(("localhost", broker.SslPort), (seen.Host, seen.Port));
        }

        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig(Ssl())).Build())
        {
            await producer.ProduceAsync(topic, new Message<Null, string> { Value = new string('t', 300_000) });
            await producer.ProduceAsync(topic, new Message<Null, string> { Value = "over tls" });
        }

        using var consumer = new ConsumerBuilder<Null, string>(new ConsumerConfig(Ssl())
        {
            GroupId = "tls-ssl-group",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        var values = ConsumedValues.Take(consumer, 2, TimeSpan.FromSeconds(30));

        Assert.Equal([300_000, 8], values.Select(v => v.Length));
        consumer.Close();
    }

    [Fact]
    public async Task SaslSslClients_Authenticate_ButNotWithAWrongPassword()
    {
        const string topic = "tls-sasl-ssl";
        await broker.CreateAsync(topic, 1);
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig(SaslSsl("alice-secret"))).Build())
        {
            var delivered = await producer.ProduceAsync(topic, new Message<Null, string> { Value = "sasl over tls" });
            Assert.Equal(0, delivered.Offset.Value);
        }

        var error = ClientErrors.First(SaslSsl("wrong"));
        Assert.Equal(ErrorCode.Local_Authentication, error.Code);
        Assert.Contains("Authentication failed: Invalid username or password", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KafkaJs_ConnectsOverSsl_AndOverSaslSsl()
    {
        var ssl = await KafkaJs.AdminAsync($"localhost:{broker.SslPort}", "return await admin.describeCluster();", sslCaFile: broker.Certificates.AuthorityPem);
        Assert.Equal(broker.SslPort, ssl.GetProperty("brokers")[0].GetProperty("port").GetInt32());

        var sasl = await KafkaJs.AdminAsync(
            $"localhost:{broker.SaslSslPort}", "return await admin.describeCluster();", sasl: ("plain", "alice", "alice-secret"), sslCaFile: broker.Certificates.AuthorityPem);
        Assert.Equal(broker.SaslSslPort, sasl.GetProperty("brokers")[0].GetProperty("port").GetInt32());
    }

    [Fact]
    public void AClientThatDoesNotTrustTheCertificate_CannotConnect()
    {
        using var other = new TestCertificates("CN=Another CA");
        var error = ClientErrors.FirstOf(new ClientConfig(Ssl()) { SslCaLocation = other.AuthorityPem }, ErrorCode.Local_Ssl);

        Assert.Contains("certificate verify failed", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainKafkaOnATlsPort_IsClosed_AndTheListenerServesTheNextClient()
    {
        using (var plain = new RawKafkaClient(broker.SslPort))
        {
            plain.Send(ApiKey.ApiVersions, 3, new ApiVersionsRequest { ClientSoftwareName = "raw", ClientSoftwareVersion = "1" });
            Assert.True(plain.IsClosedByBroker());
        }

        using var admin = new AdminClientBuilder(new AdminClientConfig(Ssl())).Build();
        Assert.Single(admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers);
    }

    [Fact]
    public async Task ARenewedKeystoreFile_IsServedToNewConnections_WithoutARestart()
    {
        var before = await ServerCertificateAsync(broker.SslPort);
        var renewed = broker.Certificates.IssueServer();
        var staged = broker.Certificates.WritePem("server-renewed.pem", renewed);
        TestCertificates.Replace(broker.KeystorePem, staged);

        var served = before;
        for (var deadline = DateTime.UtcNow.AddSeconds(15); served.Thumbprint != renewed.Thumbprint && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(200);
            served = await ServerCertificateAsync(broker.SslPort);
        }

        Assert.Equal(renewed.Thumbprint, served.Thumbprint);
        Assert.Equal(renewed.Thumbprint, (await ServerCertificateAsync(broker.SaslSslPort)).Thumbprint);
        using var admin = new AdminClientBuilder(new AdminClientConfig(Ssl())).Build();
        Assert.Single(admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers);
    }

    /// <summary>
    /// .NET's TLS client trusting the authority alone reads the registry over HTTPS; Confluent's .NET registry client
    /// accepts a server only when its CA file's certificate is among those the server sent, and .NET servers, as is
    /// usual, never send a self-signed root, so that client is shown here with its check off (or the authority in the
    /// system's trust store, as in a deployment).
    /// </summary>
    [Fact]
    public async Task TheSchemaRegistry_ServesHttps()
    {
        using var trusting = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { broker.Certificates.Authority },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            },
        });
        var posted = await trusting.PostAsync(
            broker.RegistryHttpsUrl + "/subjects/tls-value/versions",
            new StringContent("""{"schema":"\"string\""}""", System.Text.Encoding.UTF8, "application/vnd.schemaregistry.v1+json"));
        Assert.Equal(System.Net.HttpStatusCode.OK, posted.StatusCode);

        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig
        {
            Url = broker.RegistryHttpsUrl,
            EnableSslCertificateVerification = false,
        });
        Assert.Equal("\"string\"", (await registry.GetLatestSchemaAsync("tls-value")).SchemaString);

        using var plainHttp = new HttpClient();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => plainHttp.GetAsync(broker.RegistryUrl + "/subjects"));
        using var untrusting = new HttpClient();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => untrusting.GetAsync(broker.RegistryHttpsUrl + "/subjects"));
    }

    /// <summary>The certificate a TLS handshake with the port is answered with, read by .NET's own TLS client.</summary>
    private async Task<X509Certificate2> ServerCertificateAsync(int port)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("localhost", port);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("localhost");
        return X509CertificateLoader.LoadCertificate(tls.RemoteCertificate!.GetRawCertData());
    }
}

using System.Buffers.Binary;
using System.Text;
using Confluent.Kafka;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Kafka.Security;

/// <summary>
/// A SASL_PLAINTEXT listener beside the PLAINTEXT one, with SASL/PLAIN users: Confluent.Kafka clients set up as for
/// Kafka (<c>security.protocol=SASL_PLAINTEXT</c>, <c>sasl.mechanism=PLAIN</c>) produce and consume; a wrong password or
/// an unknown user is refused with the same message, a mechanism not enabled with the enabled ones, and a connection
/// that does anything else before it authenticates, or sends more than <c>sasl.server.max.receive.size</c>, is closed.
/// </summary>
public sealed class SaslPlainTests(SaslPlainTests.SaslBroker broker) : IClassFixture<SaslPlainTests.SaslBroker>
{
    public sealed class SaslBroker : BrokerFixture
    {
        public int SaslPort { get; } = TestPorts.Next();

        public string SaslBootstrap => $"localhost:{SaslPort}";

        protected override IReadOnlyList<string> Settings =>
        [
            "--Tributary:Kafka:Listeners", $"PLAINTEXT://:{KafkaPort},SASL_PLAINTEXT://:{SaslPort}",
            "--Tributary:Kafka:Sasl:PlainUsers:alice", "alice-secret",
            "--Tributary:Kafka:Sasl:PlainUsers:bob", "bob-secret",
            // Small, so that what unauthenticated connections could take of it would show.
            "--Tributary:Kafka:QueuedMaxRequestBytes", "2097152",
        ];
    }

    private ClientConfig Sasl(string user, string password, SaslMechanism mechanism = SaslMechanism.Plain) => new()
    {
        BootstrapServers = broker.SaslBootstrap,
        SecurityProtocol = SecurityProtocol.SaslPlaintext,
        SaslMechanism = mechanism,
        SaslUsername = user,
        SaslPassword = password,
    };

    [Fact]
    public async Task AUserWithItsPassword_ProducesAndConsumes_AndIsToldTheSaslListenersAddress()
    {
        const string topic = "sasl-plain";
        await broker.CreateAsync(topic, 1);

        using (var admin = new AdminClientBuilder(new AdminClientConfig(Sasl("alice", "alice-secret"))).Build())
        {
            var seen = Assert.Single(admin.GetMetadata(TimeSpan.FromSeconds(10)).Brokers);
            Assert.Equal(("localhost", broker.SaslPort), (seen.Host, seen.Port));
        }

        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig(Sasl("alice", "alice-secret"))).Build())
        {
            // A record larger than sasl.server.max.receive.size: the bound holds only until the client is authenticated.
            await producer.ProduceAsync(topic, new Message<Null, string> { Value = new string('a', 700_000) });
            await producer.ProduceAsync(topic, new Message<Null, string> { Value = "from alice" });
        }

        using var consumer = new ConsumerBuilder<Null, string>(new ConsumerConfig(Sasl("bob", "bob-secret"))
        {
            GroupId = "sasl-plain-group",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe(topic);
        var values = ConsumedValues.Take(consumer, 2, TimeSpan.FromSeconds(30));

        Assert.Equal([700_000, 10], values.Select(v => v.Length));
        consumer.Close();
    }

    [Fact]
    public async Task KafkaJsOwnPlainClient_Authenticates_ButNotWithAWrongPassword()
    {
        var cluster = await KafkaJs.AdminAsync(broker.SaslBootstrap, "return await admin.describeCluster();", sasl: ("plain", "bob", "bob-secret"));
        Assert.Equal(broker.SaslPort, cluster.GetProperty("brokers")[0].GetProperty("port").GetInt32());

        var refused = await Assert.ThrowsAnyAsync<Exception>(() =>
            KafkaJs.AdminAsync(broker.SaslBootstrap, "return await admin.describeCluster();", sasl: ("plain", "bob", "wrong")));
        Assert.Contains("Authentication failed: Invalid username or password", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alice", "wrong")]
    [InlineData("mallory", "alice-secret")]
    public void AWrongPasswordOrAnUnknownUser_IsRefusedWithTheSameMessage(string user, string password)
    {
        var error = ClientErrors.First(Sasl(user, password));

        Assert.Equal(ErrorCode.Local_Authentication, error.Code);
        Assert.Contains("Authentication failed: Invalid username or password", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void AMechanismNotEnabled_IsRefused_NamingTheEnabledOnes()
    {
        var error = ClientErrors.First(Sasl("alice", "alice-secret", SaslMechanism.ScramSha256));

        Assert.Contains("PLAIN", error.Reason, StringComparison.Ordinal);
        Assert.Contains("SCRAM-SHA-256", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ARequestBeforeAuthentication_ClosesTheConnection_ButApiVersionsIsAnswered()
    {
        using var client = new RawKafkaClient(broker.SaslPort);
        var versions = client.Call<ApiVersionsResponse>(ApiKey.ApiVersions, 3, new ApiVersionsRequest { ClientSoftwareName = "raw", ClientSoftwareVersion = "1" });
        Assert.Contains(versions.ApiKeys, k => k.ApiKey == (short)ApiKey.SaslAuthenticate);

        client.Send(ApiKey.Metadata, 12, new MetadataRequest { Topics = null });

        Assert.True(client.IsClosedByBroker());
    }

    [Fact]
    public void AFrameOverTheSaslReceiveSize_BeforeAuthentication_ClosesTheConnection()
    {
        using var client = new RawKafkaClient(broker.SaslPort);
        var frame = new byte[4 + 600_000];
        BinaryPrimitives.WriteInt32BigEndian(frame, 600_000);
        client.SendRaw(frame.AsSpan(0, 4));

        Assert.True(client.IsClosedByBroker());
    }

    [Fact]
    public async Task ConnectionsThatNeverAuthenticate_TakeNothingOfTheSilosRequestBudget()
    {
        // Ten connections announce frames of 500 KB, five times the silo's 2 MiB budget, and never send them.
        var idle = Enumerable.Range(0, 10).Select(_ => new RawKafkaClient(broker.SaslPort)).ToList();
        try
        {
            var size = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(size, 500_000);
            idle.ForEach(c => c.SendRaw(size));
            await Task.Delay(500);

            using var producer = new ProducerBuilder<Null, string>(new ProducerConfig(Sasl("alice", "alice-secret")) { MessageTimeoutMs = 20_000 }).Build();
            var delivered = await producer.ProduceAsync("sasl-budget", new Message<Null, string> { Value = "served" });

            Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
        }
        finally
        {
            idle.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public void ARefusal_IsAnsweredNoSoonerThanKafkasFailedAuthenticationDelay_ThenTheConnectionCloses()
    {
        using var client = new RawKafkaClient(broker.SaslPort);
        client.Call<SaslHandshakeResponse>(ApiKey.SaslHandshake, 1, new SaslHandshakeRequest { Mechanism = "PLAIN" });

        var asked = System.Diagnostics.Stopwatch.StartNew();
        var refused = client.Call<SaslAuthenticateResponse>(
            ApiKey.SaslAuthenticate, 2, new SaslAuthenticateRequest { AuthBytes = Encoding.UTF8.GetBytes("\0alice\0guess") });

        Assert.True(asked.Elapsed >= TimeSpan.FromMilliseconds(95), $"answered after {asked.ElapsedMilliseconds} ms");
        Assert.Equal((short)Tributary.Grains.KafkaFormats.ErrorCode.SaslAuthenticationFailed, refused.ErrorCode);
        Assert.Equal("Authentication failed: Invalid username or password", refused.ErrorMessage);
        Assert.True(client.IsClosedByBroker());
    }

    [Fact]
    public void AVersionZeroHandshake_TakesARawToken_ThenServesRequests()
    {
        using var client = new RawKafkaClient(broker.SaslPort);
        var handshake = client.Call<SaslHandshakeResponse>(ApiKey.SaslHandshake, 0, new SaslHandshakeRequest { Mechanism = "PLAIN" });
        Assert.Equal(0, handshake.ErrorCode);
        Assert.Equal(["PLAIN"], handshake.Mechanisms);

        var token = Encoding.UTF8.GetBytes("\0bob\0bob-secret");
        var raw = new byte[4 + token.Length];
        BinaryPrimitives.WriteInt32BigEndian(raw, token.Length);
        token.CopyTo(raw, 4);
        client.SendRaw(raw);
        Assert.Empty(client.ReceiveFrame());

        var metadata = client.Call<MetadataResponse>(ApiKey.Metadata, 12, new MetadataRequest { Topics = [] });
        Assert.Equal(broker.SaslPort, Assert.Single(metadata.Brokers).Port);
    }

    [Fact]
    public void OnThePlaintextListener_SaslRequestsAreAnsweredIllegalSaslState()
    {
        using var client = new RawKafkaClient(broker.KafkaPort);

        var handshake = client.Call<SaslHandshakeResponse>(ApiKey.SaslHandshake, 1, new SaslHandshakeRequest { Mechanism = "PLAIN" });

        Assert.Equal((short)Tributary.Grains.KafkaFormats.ErrorCode.IllegalSaslState, handshake.ErrorCode);
    }
}

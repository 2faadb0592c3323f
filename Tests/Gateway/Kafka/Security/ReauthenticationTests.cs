using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Kafka.Security;

/// <summary>
/// KIP-368 with <c>connections.max.reauth.ms</c>: SaslAuthenticate tells the client how long its authentication lasts;
/// a client that authenticates again on its connection before then keeps it, one that lets it lapse is closed at its
/// next request, one that re-authenticates as someone else is refused; librdkafka re-authenticates on its own.
/// </summary>
public sealed class ReauthenticationTests(ReauthenticationTests.ReauthBroker broker) : IClassFixture<ReauthenticationTests.ReauthBroker>
{
    /// <summary>
    /// Long enough that a loaded machine's late timers still re-authenticate inside it: librdkafka does at 90 % of the
    /// lifetime, and with 8 s (0.8 s to spare) a full test run once saw librdkafka lose its connection around a
    /// re-authentication, as it would if its timer had fired late and its next request come after the lifetime.
    /// </summary>
    private const int LifetimeMs = 12_000;

    public sealed class ReauthBroker : BrokerFixture
    {
        public int SaslPort { get; } = TestPorts.Next();

        protected override IReadOnlyList<string> Settings =>
        [
            "--Tributary:Kafka:Listeners", $"PLAINTEXT://:{KafkaPort},SASL_PLAINTEXT://:{SaslPort}",
            "--Tributary:Kafka:Sasl:PlainUsers:alice", "alice-secret",
            "--Tributary:Kafka:Sasl:PlainUsers:bob", "bob-secret",
            "--Tributary:Kafka:Sasl:ConnectionsMaxReauthMs", LifetimeMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
    }

    [Fact]
    public async Task TheSessionLifetime_IsAnswered_AndALapsedSessionIsClosedAtItsNextRequest()
    {
        using var client = new RawKafkaClient(broker.SaslPort);
        Assert.Equal(LifetimeMs, Authenticate(client, "alice", "alice-secret").SessionLifetimeMs);
        client.Call<MetadataResponse>(ApiKey.Metadata, 12, new MetadataRequest { Topics = [] });

        await Task.Delay(LifetimeMs + 300);
        client.Send(ApiKey.Metadata, 12, new MetadataRequest { Topics = [] });

        Assert.True(client.IsClosedByBroker());
    }

    [Fact]
    public async Task AClientThatAuthenticatesAgain_KeepsItsConnectionPastTheFirstLifetime()
    {
        using var client = new RawKafkaClient(broker.SaslPort);
        var first = System.Diagnostics.Stopwatch.StartNew();
        Authenticate(client, "alice", "alice-secret");
        await Task.Delay(LifetimeMs / 2);

        Assert.Equal(LifetimeMs, Authenticate(client, "alice", "alice-secret").SessionLifetimeMs);
        await Task.Delay(TimeSpan.FromMilliseconds(LifetimeMs + 500) - first.Elapsed);

        Assert.True(first.ElapsedMilliseconds > LifetimeMs);
        var metadata = client.Call<MetadataResponse>(ApiKey.Metadata, 12, new MetadataRequest { Topics = [] });
        Assert.Single(metadata.Brokers);
    }

    [Fact]
    public async Task ARequestInTheMiddleOfAReauthentication_ClosesTheConnection()
    {
        using var client = new RawKafkaClient(broker.SaslPort);
        Authenticate(client, "alice", "alice-secret");
        await Task.Delay(1100);

        client.Call<SaslHandshakeResponse>(ApiKey.SaslHandshake, 1, new SaslHandshakeRequest { Mechanism = "PLAIN" });
        client.Send(ApiKey.Metadata, 12, new MetadataRequest { Topics = [] });

        Assert.True(client.IsClosedByBroker());
    }

    [Fact]
    public void ReauthenticatingAsSomeoneElse_IsRefused_AndClosesTheConnection()
    {
        using var client = new RawKafkaClient(broker.SaslPort);
        Authenticate(client, "alice", "alice-secret");

        client.Call<SaslHandshakeResponse>(ApiKey.SaslHandshake, 1, new SaslHandshakeRequest { Mechanism = "PLAIN" });
        var refused = client.Call<SaslAuthenticateResponse>(
            ApiKey.SaslAuthenticate, 2, new SaslAuthenticateRequest { AuthBytes = Encoding.UTF8.GetBytes("\0bob\0bob-secret") });

        Assert.Equal((short)ErrorCode.SaslAuthenticationFailed, refused.ErrorCode);
        Assert.True(client.IsClosedByBroker());
    }

    [Fact]
    public async Task Librdkafka_AuthenticatesAgainOnItsOwn_WithoutLosingItsConnection()
    {
        const string topic = "reauth";
        await broker.CreateAsync(topic, 1);
        var errors = new ConcurrentQueue<Error>();
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig
        {
            BootstrapServers = $"localhost:{broker.SaslPort}",
            SecurityProtocol = SecurityProtocol.SaslPlaintext,
            SaslMechanism = SaslMechanism.Plain,
            SaslUsername = "alice",
            SaslPassword = "alice-secret",
        }).SetErrorHandler((_, e) => errors.Enqueue(e)).Build();

        // Past the first lifetime: a client that did not re-authenticate would have its connection closed at its next request.
        var deadline = DateTime.UtcNow.AddMilliseconds(LifetimeMs * 1.6);
        var sent = 0;
        while (DateTime.UtcNow < deadline)
        {
            await producer.ProduceAsync(topic, new Message<Null, string> { Value = $"record {sent++}" });
            await Task.Delay(250);
        }

        Assert.Empty(errors);
        Assert.True(sent > 10);
    }

    private static SaslAuthenticateResponse Authenticate(RawKafkaClient client, string user, string password)
    {
        var handshake = client.Call<SaslHandshakeResponse>(ApiKey.SaslHandshake, 1, new SaslHandshakeRequest { Mechanism = "PLAIN" });
        Assert.Equal(0, handshake.ErrorCode);
        var authenticated = client.Call<SaslAuthenticateResponse>(
            ApiKey.SaslAuthenticate, 2, new SaslAuthenticateRequest { AuthBytes = Encoding.UTF8.GetBytes($"\0{user}\0{password}") });
        Assert.Equal(0, authenticated.ErrorCode);
        return authenticated;
    }
}

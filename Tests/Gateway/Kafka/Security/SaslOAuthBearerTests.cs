using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Kafka.Security;

/// <summary>
/// SASL/OAUTHBEARER with Kafka's JWT validator settings (<c>sasl.oauthbearer.jwks.endpoint.url</c>, expected issuer and
/// audience): a token signed by a key the issuer's JWKS endpoint publishes lets a Confluent.Kafka client produce and
/// consume; an expired, unsigned, foreign or misaddressed token is refused with RFC 7628's <c>invalid_token</c>; a key
/// the issuer rotates in is taken up once it is published. The REST Proxy, with <c>Method</c> BEARER, takes the same
/// tokens.
/// </summary>
public sealed class SaslOAuthBearerTests(SaslOAuthBearerTests.OAuthBroker broker) : IClassFixture<SaslOAuthBearerTests.OAuthBroker>
{
    private const string Issuer = "https://issuer.example";
    private const string Audience = "tributary";

    public sealed class OAuthBroker : BrokerFixture
    {
        private readonly ConcurrentDictionary<string, RSA> _published = new();
        private WebApplication? _issuer;

        public int SaslPort { get; } = TestPorts.Next();

        public int IssuerPort { get; } = TestPorts.Next();

        public RSA Key { get; } = RSA.Create(2048);

        public string Bootstrap => $"localhost:{SaslPort}";

        protected override IReadOnlyList<string> Settings =>
        [
            "--Tributary:Kafka:Listeners", $"PLAINTEXT://:{KafkaPort},SASL_PLAINTEXT://:{SaslPort}",
            "--Tributary:Kafka:Sasl:EnabledMechanisms", "OAUTHBEARER",
            "--Tributary:Kafka:Sasl:OAuthBearer:JwksEndpointUrl", $"http://127.0.0.1:{IssuerPort}/jwks",
            "--Tributary:Kafka:Sasl:OAuthBearer:ExpectedIssuer", Issuer,
            "--Tributary:Kafka:Sasl:OAuthBearer:ExpectedAudience", $"other,{Audience}",
            "--Tributary:RestProxy:Authentication:Method", "BEARER",
            "--Tributary:RestProxy:Authentication:Realm", "KafkaRest",
        ];

        /// <summary>Publishes a key at the issuer's JWKS endpoint under <paramref name="keyId"/>.</summary>
        public void Publish(string keyId, RSA key) => _published[keyId] = key;

        public override async Task InitializeAsync()
        {
            Publish("k1", Key);
            var issuer = WebApplication.CreateSlimBuilder();
            issuer.WebHost.UseUrls($"http://127.0.0.1:{IssuerPort}");
            _issuer = issuer.Build();
            _issuer.MapGet("/jwks", () => Results.Text(Jwks(), "application/json"));
            await _issuer.StartAsync();
            await base.InitializeAsync();
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            if (_issuer is not null)
            {
                await _issuer.DisposeAsync();
            }
        }

        private string Jwks() => TestJwts.Jwks(_published);
    }

    public enum BadToken
    {
        Expired,
        Unsigned,
        SignedByAnUnpublishedKey,
        ForAnotherAudience,
        FromAnotherIssuer,
        WithoutSubject,
        WithoutIssuedAt,
        SignedWithASharedSecret,
    }

    [Fact]
    public async Task ATokenSignedByAPublishedKey_LetsAClientProduceAndConsume()
    {
        const string topic = "oauth";
        await broker.CreateAsync(topic, 1);
        var token = Jwt(broker.Key, "k1", Claims("alice"));
        using (var producer = Producer(token))
        {
            await producer.ProduceAsync(topic, new Message<Null, string> { Value = "with a token" });
        }

        using var consumer = new ConsumerBuilder<Null, string>(new ConsumerConfig(Config())
        {
            GroupId = "oauth-group",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).SetOAuthBearerTokenRefreshHandler((client, _) => client.OAuthBearerSetToken(token, Expiry(), "alice")).Build();
        consumer.Subscribe(topic);

        Assert.Equal(["with a token"], ConsumedValues.Take(consumer, 1, TimeSpan.FromSeconds(30)));
        consumer.Close();
    }

    [Theory]
    [InlineData(BadToken.Expired)]
    [InlineData(BadToken.Unsigned)]
    [InlineData(BadToken.SignedByAnUnpublishedKey)]
    [InlineData(BadToken.ForAnotherAudience)]
    [InlineData(BadToken.FromAnotherIssuer)]
    [InlineData(BadToken.WithoutSubject)]
    [InlineData(BadToken.WithoutIssuedAt)]
    [InlineData(BadToken.SignedWithASharedSecret)]
    public void ATokenThatIsNotGood_IsRefusedAsAnInvalidToken(BadToken bad)
    {
        using var stranger = RSA.Create(2048);
        var token = bad switch
        {
            BadToken.Expired => Jwt(broker.Key, "k1", Claims("alice", expires: DateTimeOffset.UtcNow.AddMinutes(-5))),
            BadToken.Unsigned => Unsigned(Claims("alice")),
            BadToken.SignedByAnUnpublishedKey => Jwt(stranger, "k1", Claims("alice")),
            BadToken.ForAnotherAudience => Jwt(broker.Key, "k1", Claims("alice", audience: "someone-else")),
            BadToken.FromAnotherIssuer => Jwt(broker.Key, "k1", Claims("alice", issuer: "https://elsewhere.example")),
            BadToken.WithoutIssuedAt => Jwt(broker.Key, "k1", Claims("alice", issuedAt: false)),
            BadToken.SignedWithASharedSecret => Hs256("k1", Claims("alice")),
            _ => Jwt(broker.Key, "k1", Claims(null)),
        };

        var error = FirstError(token);

        Assert.Equal(ErrorCode.Local_Authentication, error.Code);
        Assert.Contains("invalid_token", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyTheIssuerRotatesIn_IsTakenUp_OnceItIsPublished()
    {
        using var rotated = RSA.Create(2048);
        var token = Jwt(rotated, "k2", Claims("bob"));
        Assert.Equal(ErrorCode.Local_Authentication, FirstError(token).Code);

        broker.Publish("k2", rotated);
        await Task.Delay(TimeSpan.FromSeconds(10.5));
        const string topic = "oauth-rotated";
        await broker.CreateAsync(topic, 1);
        using var producer = Producer(token);

        var delivered = await producer.ProduceAsync(topic, new Message<Null, string> { Value = "signed by the new key" });
        Assert.Equal(0, delivered.Offset.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\u0001")]
    [InlineData("n")]
    [InlineData("n,,\u0001\u0001")]
    [InlineData("n,,\u0001auth=Basic abc\u0001\u0001")]
    [InlineData("y,,\u0001auth=Bearer abc\u0001\u0001")]
    public void AFirstMessageThatIsNotRfc7628s_IsRefusedWithKafkasMessage(string message)
    {
        using var client = new RawKafkaClient(broker.SaslPort);
        client.Call<SaslHandshakeResponse>(ApiKey.SaslHandshake, 1, new SaslHandshakeRequest { Mechanism = "OAUTHBEARER" });

        var refused = client.Call<SaslAuthenticateResponse>(ApiKey.SaslAuthenticate, 2, new SaslAuthenticateRequest { AuthBytes = Encoding.UTF8.GetBytes(message) });

        Assert.Equal((short)ErrorCode.SaslAuthenticationFailed, refused.ErrorCode);
        Assert.Equal("Authentication failed during authentication due to invalid credentials with SASL mechanism OAUTHBEARER", refused.ErrorMessage);
        Assert.True(client.IsClosedByBroker());
    }

    [Fact]
    public void ARefusedToken_IsAnsweredWithTheErrorChallenge_ThenTheClientsAcknowledgementEndsTheExchange()
    {
        using var client = new RawKafkaClient(broker.SaslPort);
        client.Call<SaslHandshakeResponse>(ApiKey.SaslHandshake, 1, new SaslHandshakeRequest { Mechanism = "OAUTHBEARER" });
        var expired = Jwt(broker.Key, "k1", Claims("alice", expires: DateTimeOffset.UtcNow.AddMinutes(-5)));

        var challenge = client.Call<SaslAuthenticateResponse>(
            ApiKey.SaslAuthenticate, 2, new SaslAuthenticateRequest { AuthBytes = Encoding.UTF8.GetBytes($"n,,\u0001auth=Bearer {expired}\u0001\u0001") });
        Assert.Equal(0, challenge.ErrorCode);
        Assert.Equal("""{"status":"invalid_token"}""", Encoding.UTF8.GetString(challenge.AuthBytes.Span));

        var refused = client.Call<SaslAuthenticateResponse>(ApiKey.SaslAuthenticate, 2, new SaslAuthenticateRequest { AuthBytes = new byte[] { 1 } });
        Assert.Equal((short)ErrorCode.SaslAuthenticationFailed, refused.ErrorCode);
        Assert.Equal("""{"status":"invalid_token"}""", refused.ErrorMessage);
        Assert.True(client.IsClosedByBroker());
    }

    [Fact]
    public async Task ASessionLastsNoLongerThanItsToken_EvenWithoutReauthenticationConfigured()
    {
        using var client = new RawKafkaClient(broker.SaslPort);
        client.Call<SaslHandshakeResponse>(ApiKey.SaslHandshake, 1, new SaslHandshakeRequest { Mechanism = "OAUTHBEARER" });
        var token = Jwt(broker.Key, "k1", Claims("alice", expires: DateTimeOffset.UtcNow.AddSeconds(3)));

        var authenticated = client.Call<SaslAuthenticateResponse>(
            ApiKey.SaslAuthenticate, 2, new SaslAuthenticateRequest { AuthBytes = Encoding.UTF8.GetBytes($"n,,\u0001auth=Bearer {token}\u0001\u0001") });
        Assert.Equal(0, authenticated.ErrorCode);
        Assert.InRange(authenticated.SessionLifetimeMs, 1, 3000);
        client.Call<MetadataResponse>(ApiKey.Metadata, 12, new MetadataRequest { Topics = [] });

        await Task.Delay(TimeSpan.FromMilliseconds(authenticated.SessionLifetimeMs + 300));
        client.Send(ApiKey.Metadata, 12, new MetadataRequest { Topics = [] });
        Assert.True(client.IsClosedByBroker());
    }

    [Fact]
    public void AGoodTokenWithAnAuthorizationIdOfAnotherPrincipal_IsRefused_AndOneOfItsOwnIsNot()
    {
        var token = Jwt(broker.Key, "k1", Claims("alice"));
        foreach (var (authorizationId, accepted) in new[] { ("alice", true), ("bob", false) })
        {
            using var client = new RawKafkaClient(broker.SaslPort);
            client.Call<SaslHandshakeResponse>(ApiKey.SaslHandshake, 1, new SaslHandshakeRequest { Mechanism = "OAUTHBEARER" });
            var answer = client.Call<SaslAuthenticateResponse>(
                ApiKey.SaslAuthenticate, 2, new SaslAuthenticateRequest { AuthBytes = Encoding.UTF8.GetBytes($"n,a={authorizationId},\u0001auth=Bearer {token}\u0001host=localhost\u0001\u0001") });
            Assert.Equal(accepted ? (short)0 : (short)ErrorCode.SaslAuthenticationFailed, answer.ErrorCode);
        }
    }

    [Fact]
    public async Task TheRestProxy_TakesTheSameTokens_AndRefusesBadOnesWithABearerChallenge()
    {
        using var http = new HttpClient { BaseAddress = new Uri(broker.RestUrl) };
        async Task<HttpResponseMessage> GetTopicsAsync(string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/topics");
            if (token is not null)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            }

            return await http.SendAsync(request);
        }

        using var good = await GetTopicsAsync(Jwt(broker.Key, "k1", Claims("alice")));
        Assert.Equal(System.Net.HttpStatusCode.OK, good.StatusCode);

        using var stranger = RSA.Create(2048);
        foreach (var bad in new string?[] { null, Jwt(broker.Key, "k1", Claims("alice", expires: DateTimeOffset.UtcNow.AddMinutes(-5))), Jwt(stranger, "k1", Claims("alice")) })
        {
            using var refused = await GetTopicsAsync(bad);
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal(bad is null ? "Bearer realm=\"KafkaRest\"" : "Bearer realm=\"KafkaRest\", error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString());
            Assert.Equal(401, JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error_code").GetInt32());
        }
    }

    private ClientConfig Config() => new()
    {
        BootstrapServers = broker.Bootstrap,
        SecurityProtocol = SecurityProtocol.SaslPlaintext,
        SaslMechanism = SaslMechanism.OAuthBearer,
    };

    private IProducer<Null, string> Producer(string token, Action<Error>? errors = null) =>
        new ProducerBuilder<Null, string>(new ProducerConfig(Config()) { MessageTimeoutMs = 15_000 })
            .SetOAuthBearerTokenRefreshHandler((client, _) => client.OAuthBearerSetToken(token, Expiry(), "principal"))
            .SetErrorHandler((_, e) => errors?.Invoke(e))
            .Build();

    private Error FirstError(string token)
    {
        var errors = new BlockingCollection<Error>();
        using var producer = Producer(token, errors.Add);
        Assert.True(errors.TryTake(out var error, TimeSpan.FromSeconds(30)), "no error reported");
        return error;
    }

    private static long Expiry() => DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeMilliseconds();

    private static Dictionary<string, object> Claims(
        string? subject, DateTimeOffset? expires = null, string audience = Audience, string issuer = Issuer, bool issuedAt = true)
    {
        var claims = new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            ["exp"] = (expires ?? DateTimeOffset.UtcNow.AddMinutes(10)).ToUnixTimeSeconds(),
        };
        if (issuedAt)
        {
            claims["iat"] = DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeSeconds();
        }

        if (subject is not null)
        {
            claims["sub"] = subject;
        }

        return claims;
    }

    /// <summary>A JWT signed with RS256, written here rather than by the library the broker checks it with.</summary>
    private static string Jwt(RSA key, string keyId, Dictionary<string, object> claims) => TestJwts.Rs256(key, keyId, claims);

    private static string Hs256(string keyId, Dictionary<string, object> claims)
    {
        var signed = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT", kid = keyId }))
            + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        return signed + "." + Base64Url(HMACSHA256.HashData(Encoding.ASCII.GetBytes("a shared secret"), Encoding.ASCII.GetBytes(signed)));
    }

    private static string Unsigned(Dictionary<string, object> claims) =>
        Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "none", typ = "JWT" })) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims)) + ".";

    private static string Base64Url(byte[] bytes) => TestJwts.Base64Url(bytes);
}

using System.Security.Cryptography;
using System.Text;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Grains.Streams.Runtime.Group;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Streams;

/// <summary>
/// The Streams library's group member with SASL/OAUTHBEARER as librdkafka's <c>sasl.oauthbearer.method=oidc</c> gets
/// tokens: the client credentials grant at the issuer's token endpoint, whose signed token the broker checks against
/// the issuer's JWKS; a client the issuer refuses gets no token, and the member does not reach the group.
/// </summary>
public sealed class GroupMemberOAuthTests(GroupMemberOAuthTests.OAuthIssuerBroker broker) : IClassFixture<GroupMemberOAuthTests.OAuthIssuerBroker>
{
    private const string Issuer = "https://issuer.example";
    private const string Audience = "tributary";

    public sealed class OAuthIssuerBroker : BrokerFixture
    {
        private WebApplication? _issuer;

        public int SaslPort { get; } = TestPorts.Next();

        public int IssuerPort { get; } = TestPorts.Next();

        public RSA Key { get; } = RSA.Create(2048);

        public int TokensIssued;

        protected override IReadOnlyList<string> Settings =>
        [
            "--Tributary:Kafka:Listeners", $"PLAINTEXT://:{KafkaPort},SASL_PLAINTEXT://:{SaslPort}",
            "--Tributary:Kafka:Sasl:EnabledMechanisms", "OAUTHBEARER",
            "--Tributary:Kafka:Sasl:OAuthBearer:JwksEndpointUrl", $"http://127.0.0.1:{IssuerPort}/jwks",
            "--Tributary:Kafka:Sasl:OAuthBearer:ExpectedIssuer", Issuer,
            "--Tributary:Kafka:Sasl:OAuthBearer:ExpectedAudience", Audience,
        ];

        public override async Task InitializeAsync()
        {
            var issuer = WebApplication.CreateSlimBuilder();
            issuer.WebHost.UseUrls($"http://127.0.0.1:{IssuerPort}");
            _issuer = issuer.Build();
            _issuer.MapGet("/jwks", () => Results.Text(TestJwts.Jwks([new("k1", Key)]), "application/json"));
            _issuer.MapPost("/token", async (HttpRequest request) =>
            {
                // The client credentials grant, the client authenticated with HTTP Basic.
                var form = await request.ReadFormAsync();
                var basic = request.Headers.Authorization.ToString();
                var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("streams-app:app-secret"));
                if (form["grant_type"] != "client_credentials" || basic != expected || form["scope"] != "kafka")
                {
                    return Results.Json(new { error = "invalid_client" }, statusCode: 401);
                }

                Interlocked.Increment(ref TokensIssued);
                var now = DateTimeOffset.UtcNow;
                var token = TestJwts.Rs256(Key, "k1", new Dictionary<string, object>
                {
                    ["iss"] = Issuer,
                    ["aud"] = Audience,
                    ["sub"] = "streams-app",
                    ["iat"] = now.AddMinutes(-1).ToUnixTimeSeconds(),
                    ["exp"] = now.AddMinutes(10).ToUnixTimeSeconds(),
                });
                return Results.Json(new { access_token = token, token_type = "bearer", expires_in = 600 });
            });
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
    }

    private Dictionary<string, string> OAuth(string secret) => new()
    {
        ["security.protocol"] = "sasl_plaintext",
        ["sasl.mechanism"] = "OAUTHBEARER",
        ["sasl.oauthbearer.method"] = "oidc",
        ["sasl.oauthbearer.token.endpoint.url"] = $"http://127.0.0.1:{broker.IssuerPort}/token",
        ["sasl.oauthbearer.client.id"] = "streams-app",
        ["sasl.oauthbearer.client.secret"] = secret,
        ["sasl.oauthbearer.scope"] = "kafka",
        ["heartbeat.interval.ms"] = "200",
    };

    [Fact]
    public async Task WithATokenFromTheIssuer_TheMemberJoinsAndCommits()
    {
        await broker.CreateAsync("oauth-member", 1);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var member = new GroupMember(GroupMemberSettings.From($"localhost:{broker.SaslPort}", "oauth-group", "oauth-client", OAuth("app-secret")), NullLogger.Instance);
        var before = broker.TokensIssued;

        var generation = await member.JoinAsync(
            [("stream", ConsumerProtocol.Write(new ConsumerSubscription(["oauth-member"], null, [])))],
            (_, members) => members.ToDictionary(m => m.MemberId, _ => ConsumerProtocol.Write(new ConsumerAssignment([new TopicPartition("oauth-member", 0)], null))),
            cancel.Token);
        await member.CommitAsync([new TopicPartitionOffset("oauth-member", 0, 3)], cancel.Token);

        Assert.True(generation.IsLeader);
        Assert.Equal(3L, Assert.Single(await member.CommittedAsync([new TopicPartition("oauth-member", 0)], cancel.Token)).Offset.Value);
        Assert.True(broker.TokensIssued > before);
    }

    [Fact]
    public async Task AClientTheIssuerRefuses_GetsNoToken_AndDoesNotReachTheGroup()
    {
        var security = ClientSecurity.From(OAuth("wrong-secret"));
        var failure = await Assert.ThrowsAsync<IOException>(() => BrokerConnection.ConnectAsync("localhost", broker.SaslPort, security, "refused", CancellationToken.None));

        Assert.Contains("401", failure.Message);
    }
}

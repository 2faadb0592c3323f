using Tributary.Grains.Streams.Runtime.Group;

namespace Tributary.Tests.Streams.Runtime.Group;

/// <summary>
/// The group member reads the consumer settings under librdkafka's names, with their defaults, and refuses the
/// security settings it cannot honour instead of connecting without them.
/// </summary>
public sealed class GroupMemberSettingsTests
{
    [Fact]
    public void TimeoutsAndStaticMembership_AreReadUnderTheConsumersNames_WithKafkasDefaults()
    {
        var defaults = GroupMemberSettings.From("localhost:9092", "app", "client", new Dictionary<string, string>());
        Assert.Equal((45_000, 300_000, 3_000, 100), ((int)defaults.SessionTimeout.TotalMilliseconds, (int)defaults.RebalanceTimeout.TotalMilliseconds, (int)defaults.HeartbeatInterval.TotalMilliseconds, (int)defaults.RetryBackoff.TotalMilliseconds));
        Assert.Null(defaults.GroupInstanceId);
        Assert.False(defaults.Security.Tls);
        Assert.Null(defaults.Security.SaslMechanism);

        var set = GroupMemberSettings.From("localhost:9092", "app", "client", new Dictionary<string, string>
        {
            ["session.timeout.ms"] = "10000",
            ["max.poll.interval.ms"] = "60000",
            ["heartbeat.interval.ms"] = "500",
            ["group.instance.id"] = "node-1",
        });
        Assert.Equal((10_000, 60_000, 500), ((int)set.SessionTimeout.TotalMilliseconds, (int)set.RebalanceTimeout.TotalMilliseconds, (int)set.HeartbeatInterval.TotalMilliseconds));
        Assert.Equal("node-1", set.GroupInstanceId);
        Assert.Throws<ArgumentException>(() => GroupMemberSettings.From("localhost:9092", "app", "client", new Dictionary<string, string> { ["session.timeout.ms"] = "soon" }));
    }

    [Fact]
    public void BootstrapServers_AreHostPortPairs_WithOrWithoutAListenerName_AndIPv6InBrackets()
    {
        Assert.Equal(
            [("broker-1", 9092), ("10.0.0.2", 9093), ("::1", 9094)],
            GroupMemberSettings.ParseServers("broker-1:9092, PLAINTEXT://10.0.0.2:9093,[::1]:9094"));
        Assert.Throws<ArgumentException>(() => GroupMemberSettings.ParseServers("broker-1"));
        Assert.Throws<ArgumentException>(() => GroupMemberSettings.ParseServers(""));
    }

    [Theory]
    [InlineData("sasl_plaintext", null)]
    [InlineData("sasl_ssl", "GSSAPI")]
    [InlineData("sasl_plaintext", "OAUTHBEARER")]
    public void SaslMechanismsTheMemberDoesNotSpeak_AreRefused(string protocol, string? mechanism)
    {
        var config = new Dictionary<string, string> { ["security.protocol"] = protocol };
        if (mechanism is not null)
        {
            config["sasl.mechanism"] = mechanism;
        }

        // librdkafka's default mechanism is GSSAPI.
        Assert.Contains(mechanism ?? "GSSAPI", Assert.Throws<ArgumentException>(() => ClientSecurity.From(config)).Message);
    }

    [Fact]
    public void SecuritySettings_AreReadAsLibrdkafkaReadsThem_AndAKeystoreIsRefused()
    {
        var scram = ClientSecurity.From(new Dictionary<string, string>
        {
            ["security.protocol"] = "SASL_SSL",
            ["sasl.mechanisms"] = "scram-sha-512",
            ["sasl.username"] = "user",
            ["sasl.password"] = "secret",
            ["ssl.endpoint.identification.algorithm"] = "none",
        });
        Assert.Equal((true, "SCRAM-SHA-512", "user", "secret", true, false), (scram.Tls, scram.SaslMechanism, scram.SaslUsername, scram.SaslPassword, scram.VerifyCertificate, scram.VerifyHostName));

        Assert.Throws<ArgumentException>(() => ClientSecurity.From(new Dictionary<string, string> { ["security.protocol"] = "tls" }));
        Assert.Throws<ArgumentException>(() => ClientSecurity.From(new Dictionary<string, string> { ["security.protocol"] = "ssl", ["ssl.keystore.location"] = "client.p12" }));
    }

    [Fact]
    public void OAuthBearer_TakesItsTokenAsLibrdkafkasOidcMethodDoes_AndSendsItAsRfc7628Says()
    {
        var config = new Dictionary<string, string>
        {
            ["security.protocol"] = "sasl_ssl",
            ["sasl.mechanism"] = "OAUTHBEARER",
            ["sasl.oauthbearer.method"] = "oidc",
            ["sasl.oauthbearer.token.endpoint.url"] = "https://issuer.example/token",
            ["sasl.oauthbearer.client.id"] = "app",
            ["sasl.oauthbearer.client.secret"] = "secret",
            ["sasl.oauthbearer.extensions"] = "logicalCluster=lkc-1, identityPoolId=pool-2",
        };
        var oidc = ClientSecurity.From(config).Oidc!;

        Assert.Equal(("https://issuer.example/token", "app", "secret", null), (oidc.TokenEndpoint.ToString(), oidc.ClientId, oidc.ClientSecret, oidc.Scope));
        Assert.Equal("n,,\u0001auth=Bearer T\u0001logicalCluster=lkc-1\u0001identityPoolId=pool-2\u0001\u0001", System.Text.Encoding.UTF8.GetString(oidc.InitialResponse("T")));

        // Without the oidc method (librdkafka's default takes tokens from the application's callback) or its endpoint, it is refused.
        config["sasl.oauthbearer.method"] = "default";
        Assert.Contains("sasl.oauthbearer.method=oidc", Assert.Throws<ArgumentException>(() => ClientSecurity.From(config)).Message);
        config["sasl.oauthbearer.method"] = "oidc";
        config.Remove("sasl.oauthbearer.token.endpoint.url");
        Assert.Contains("sasl.oauthbearer.token.endpoint.url", Assert.Throws<ArgumentException>(() => ClientSecurity.From(config)).Message);
        config["sasl.oauthbearer.token.endpoint.url"] = "https://issuer.example/token";
        config["sasl.oauthbearer.extensions"] = "novalue";
        Assert.Throws<ArgumentException>(() => ClientSecurity.From(config));
    }
}

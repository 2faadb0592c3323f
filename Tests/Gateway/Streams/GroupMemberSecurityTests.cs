using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Grains.Streams.Runtime.Group;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Streams;

/// <summary>
/// The Streams library's group member reaches brokers as the application's librdkafka clients do, from the same
/// settings: over TLS trusting <c>ssl.ca.location</c>, and with SASL PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 on a
/// SASL_SSL listener; a wrong password is refused with SASL's error, and a broker whose certificate is not trusted
/// is not talked to.
/// </summary>
public sealed class GroupMemberSecurityTests(GroupMemberSecurityTests.SecuredBroker broker) : IClassFixture<GroupMemberSecurityTests.SecuredBroker>
{
    public sealed class SecuredBroker : BrokerFixture
    {
        public TestCertificates Certificates { get; } = new();

        public int SslPort { get; } = TestPorts.Next();

        public int SaslSslPort { get; } = TestPorts.Next();

        protected override IReadOnlyList<string> Settings
        {
            get
            {
                var keystore = Path.Combine(Certificates.Directory, "server.pem");
                if (!File.Exists(keystore))
                {
                    Certificates.WritePem("server.pem", Certificates.IssueServer());
                }

                return
                [
                    "--Tributary:Kafka:Listeners", $"PLAINTEXT://:{KafkaPort},SSL://:{SslPort},SASL_SSL://:{SaslSslPort}",
                    "--Tributary:Kafka:Ssl:KeystoreType", "PEM",
                    "--Tributary:Kafka:Ssl:KeystoreLocation", keystore,
                    "--Tributary:Kafka:Sasl:EnabledMechanisms", "PLAIN,SCRAM-SHA-256,SCRAM-SHA-512",
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

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private Dictionary<string, string> Tls(string protocol) => new()
    {
        ["security.protocol"] = protocol,
        ["ssl.ca.location"] = broker.Certificates.AuthorityPem,
        ["heartbeat.interval.ms"] = "200",
    };

    private Dictionary<string, string> Sasl(string mechanism, string user, string password)
    {
        var config = Tls("sasl_ssl");
        config["sasl.mechanism"] = mechanism;
        config["sasl.username"] = user;
        config["sasl.password"] = password;
        return config;
    }

    /// <summary>Joins a group of its own, commits an offset and reads it back: every request went over the secured connection.</summary>
    private async Task JoinAndCommitAsync(int port, Dictionary<string, string> config, string group, string topic = "secured")
    {
        using var cancel = new CancellationTokenSource(Timeout);
        await using var member = new GroupMember(GroupMemberSettings.From($"localhost:{port}", group, group + "-client", config), NullLogger.Instance);
        var subscription = ConsumerProtocol.Write(new ConsumerSubscription([topic], null, []));
        var generation = await member.JoinAsync([("stream", subscription)], (_, members) => members.ToDictionary(m => m.MemberId, _ => ConsumerProtocol.Write(new ConsumerAssignment([new TopicPartition(topic, 0)], null))), cancel.Token);

        Assert.True(generation.IsLeader);
        Assert.Equal([new TopicPartition(topic, 0)], ConsumerProtocol.ReadAssignment(generation.Assignment).Partitions);
        await member.CommitAsync([new TopicPartitionOffset(topic, 0, 11)], cancel.Token);
        Assert.Equal(11L, Assert.Single(await member.CommittedAsync([new TopicPartition(topic, 0)], cancel.Token)).Offset.Value);
        await member.LeaveAsync(cancel.Token);
    }

    [Fact]
    public async Task OverTls_TrustingTheConfiguredAuthority_TheMemberJoinsAndCommits()
    {
        await broker.CreateAsync("secured-tls", 1);
        await JoinAndCommitAsync(broker.SslPort, Tls("ssl"), "secured-ssl", "secured-tls");
    }

    [Fact]
    public async Task WithSaslPlainAndScram_OverTls_TheMemberJoinsAndCommits()
    {
        await broker.CreateAsync("secured", 1);
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await admin.AlterUserScramCredentialsAsync(
            [
                new UserScramCredentialUpsertion { User = "sha256", ScramCredentialInfo = new ScramCredentialInfo { Mechanism = ScramMechanism.ScramSha256, Iterations = 4096 }, Password = Encoding.UTF8.GetBytes("sha256-secret") },
                new UserScramCredentialUpsertion { User = "sha512", ScramCredentialInfo = new ScramCredentialInfo { Mechanism = ScramMechanism.ScramSha512, Iterations = 8192 }, Password = Encoding.UTF8.GetBytes("sha512-secret") },
            ]);
        }

        await JoinAndCommitAsync(broker.SaslSslPort, Sasl("PLAIN", "alice", "alice-secret"), "secured-plain");
        await JoinAndCommitAsync(broker.SaslSslPort, Sasl("SCRAM-SHA-256", "sha256", "sha256-secret"), "secured-sha256");
        await JoinAndCommitAsync(broker.SaslSslPort, Sasl("SCRAM-SHA-512", "sha512", "sha512-secret"), "secured-sha512");
    }

    [Theory]
    [InlineData("PLAIN", "alice")]
    [InlineData("SCRAM-SHA-512", "sha512")]
    public async Task AWrongPassword_IsRefusedWithSaslsError(string mechanism, string user)
    {
        var refused = await Assert.ThrowsAsync<KafkaException>(() => JoinAndCommitAsync(broker.SaslSslPort, Sasl(mechanism, user, "wrong"), "secured-refused"));
        Assert.Equal(ErrorCode.SaslAuthenticationFailed, refused.Error.Code);
    }

    [Fact]
    public async Task ABrokerWhoseCertificateIsNotTrusted_IsNotTalkedTo()
    {
        var untrusted = Tls("ssl");
        untrusted.Remove("ssl.ca.location");
        var failure = await Assert.ThrowsAsync<IOException>(() => BrokerConnection.ConnectAsync(
            "localhost", broker.SslPort, ClientSecurity.From(untrusted), "untrusted", CancellationToken.None));
        Assert.Contains("localhost:" + broker.SslPort, failure.Message);

        // Trusting the authority, the same connection is made.
        await using var trusted = await BrokerConnection.ConnectAsync("localhost", broker.SslPort, ClientSecurity.From(Tls("ssl")), "trusted", CancellationToken.None);
        Assert.False(trusted.IsBroken);
    }
}

using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Connect;

/// <summary>
/// Connect's API is an administrator's once Kafka's authorizer is on: a Kafka SASL user authenticated over HTTP
/// Basic reads it only with DESCRIBE on the cluster and changes it only with ALTER; a super user may do both; a
/// refusal is 403 in Connect's error body and changes nothing.
/// </summary>
public sealed class ConnectAclTests(ConnectAclTests.ConnectAclBroker broker) : IClassFixture<ConnectAclTests.ConnectAclBroker>
{
    public sealed class ConnectAclBroker : BrokerFixture
    {
        public int SaslPort { get; } = TestPorts.Next();

        protected override IReadOnlyList<string> Settings =>
        [
            "--Tributary:Kafka:Listeners", $"PLAINTEXT://:{KafkaPort},SASL_PLAINTEXT://:{SaslPort}",
            "--Tributary:Kafka:Sasl:PlainUsers:admin", "admin-secret",
            "--Tributary:Kafka:Sasl:PlainUsers:alice", "alice-secret",
            "--Tributary:Kafka:Authorizer:ClassName", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            "--Tributary:Kafka:Authorizer:SuperUsers", "User:admin;User:ANONYMOUS",
            "--Tributary:Connect:Authentication:Method", "BASIC",
            "--Tributary:Connect:Authentication:KafkaUsers", "true",
        ];
    }

    private async Task GrantAliceAsync(AclOperation operation)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        await admin.CreateAclsAsync([new AclBinding
        {
            Pattern = new ResourcePattern { Type = ResourceType.Broker, Name = "kafka-cluster", ResourcePatternType = ResourcePatternType.Literal },
            Entry = new AccessControlEntry { Principal = "User:alice", Host = "*", Operation = operation, PermissionType = AclPermissionType.Allow },
        }]);
    }

    [Fact]
    public async Task ConnectsApi_NeedsDescribeOnTheClusterToRead_AndAlterToChange()
    {
        using var alice = new ConnectClient(broker.ConnectUrl, "alice", "alice-secret");
        using var admin = new ConnectClient(broker.ConnectUrl, "admin", "admin-secret");
        var level = new { level = "DEBUG" };

        var refused = await alice.GetAsync("/connectors");
        Assert.Equal(403, refused.Status);
        Assert.Equal(403, refused.Body!["error_code"]!.GetValue<int>());

        // The worker's version and health stay open to probes.
        Assert.Equal(200, (await alice.GetAsync("/")).Status);
        Assert.NotEqual(403, (await alice.GetAsync("/health")).Status);
        Assert.Equal(200, (await admin.GetAsync("/connectors")).Status);

        await GrantAliceAsync(AclOperation.Describe);
        await Wait.UntilAsync(async () => (await alice.GetAsync("/connectors")).Status == 200, TimeSpan.FromSeconds(10), "alice reads once granted DESCRIBE");
        Assert.Equal(403, (await alice.PutAsync("/admin/loggers/org.apache.kafka.connect.acltest", level)).Status);
        Assert.DoesNotContain("org.apache.kafka.connect.acltest", (await admin.GetAsync("/admin/loggers")).Body!.AsObject().Select(p => p.Key));

        await GrantAliceAsync(AclOperation.Alter);
        await Wait.UntilAsync(async () => (await alice.PutAsync("/admin/loggers/org.apache.kafka.connect.acltest", level)).Status == 200,
            TimeSpan.FromSeconds(10), "alice changes once granted ALTER");
        Assert.Equal(200, (await admin.PutAsync("/admin/loggers/org.apache.kafka.connect.acltest2", level)).Status);
    }
}

using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Kafka.Security;

/// <summary>
/// Kafka's standard authorizer on a SASL listener, driven by Confluent.Kafka clients as Kafka users drive it: an admin
/// (a super user) manages ACLs with CreateAcls, DescribeAcls and DeleteAcls; other users may do only what the ACLs
/// allow, and are told so with Kafka's errors (TOPIC_, GROUP_, TRANSACTIONAL_ID_ and CLUSTER_AUTHORIZATION_FAILED).
/// Each test names its own topics and groups, since the ACLs are the cluster's.
/// </summary>
public sealed class AuthorizationTests(AuthorizationTests.AuthorizingBroker broker) : IClassFixture<AuthorizationTests.AuthorizingBroker>
{
    public sealed class AuthorizingBroker : BrokerFixture
    {
        public int SaslPort { get; } = TestPorts.Next();

        protected override IReadOnlyList<string> Settings =>
        [
            "--Tributary:Kafka:Listeners", $"PLAINTEXT://:{KafkaPort},SASL_PLAINTEXT://:{SaslPort}",
            "--Tributary:Kafka:Sasl:PlainUsers:admin", "admin-secret",
            "--Tributary:Kafka:Sasl:PlainUsers:alice", "alice-secret",
            "--Tributary:Kafka:Sasl:PlainUsers:bob", "bob-secret",
            "--Tributary:Kafka:Authorizer:ClassName", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            // The PLAINTEXT listener's anonymous principal stands for the fixture's own set-up, as an inter-broker user would.
            "--Tributary:Kafka:Authorizer:SuperUsers", "User:admin;User:ANONYMOUS",
        ];
    }

    /// <summary>Kafka's TRANSACTIONAL_ID resource type (5), which librdkafka passes on though Confluent.Kafka's enum does not name it.</summary>
    private const ResourceType TransactionalId = (ResourceType)5;

    private ClientConfig As(string user) => new()
    {
        BootstrapServers = $"localhost:{broker.SaslPort}",
        SecurityProtocol = SecurityProtocol.SaslPlaintext,
        SaslMechanism = SaslMechanism.Plain,
        SaslUsername = user,
        SaslPassword = user + "-secret",
    };

    private IAdminClient Admin(string user) => new AdminClientBuilder(new AdminClientConfig(As(user))).Build();

    private static AclBinding Acl(
        ResourceType type, string name, string principal, AclOperation operation,
        AclPermissionType permission = AclPermissionType.Allow, ResourcePatternType pattern = ResourcePatternType.Literal) => new()
        {
            Pattern = new ResourcePattern { Type = type, Name = name, ResourcePatternType = pattern },
            Entry = new AccessControlEntry { Principal = principal, Host = "*", Operation = operation, PermissionType = permission },
        };

    private async Task GrantAsync(params AclBinding[] acls)
    {
        using var admin = Admin("admin");
        await admin.CreateAclsAsync(acls);
    }

    private async Task<ErrorCode> ProduceAsync(string user, string topic, BrokerAddressFamily family = BrokerAddressFamily.Any)
    {
        var config = new ProducerConfig(As(user)) { MessageTimeoutMs = 10_000, BrokerAddressFamily = family };
        using var producer = new ProducerBuilder<Null, string>(config).Build();
        try
        {
            await producer.ProduceAsync(topic, new Message<Null, string> { Value = "from " + user });
            return ErrorCode.NoError;
        }
        catch (ProduceException<Null, string> e)
        {
            return e.Error.Code;
        }
    }

    [Fact]
    public async Task TheAclApis_ServeASuperUser_AndRefuseOthersWithClusterAuthorizationFailed()
    {
        var readOrders = Acl(ResourceType.Topic, "apis-orders", "User:alice", AclOperation.Read);
        var writeAudit = Acl(ResourceType.Topic, "apis-audit-", "User:bob", AclOperation.Write, pattern: ResourcePatternType.Prefixed);
        await GrantAsync(readOrders, writeAudit);

        using (var alice = Admin("alice"))
        {
            var refused = await Assert.ThrowsAsync<CreateAclsException>(() => alice.CreateAclsAsync([readOrders]));
            Assert.Equal(ErrorCode.ClusterAuthorizationFailed, Assert.Single(refused.Results).Error.Code);
            // librdkafka drops DescribeAcls' error code and reports no ACLs: nothing is shown.
            Assert.Empty((await alice.DescribeAclsAsync(AnyAclOn("apis-orders"))).AclBindings);
        }

        // kafkajs reads the error code.
        var refusal = await KafkaJs.AdminAsync($"localhost:{broker.SaslPort}", DescribeEverything, sasl: ("plain", "alice", "alice-secret"));
        Assert.Equal("CLUSTER_AUTHORIZATION_FAILED", refusal.GetString());
        var described = await KafkaJs.AdminAsync($"localhost:{broker.SaslPort}", DescribeEverything, sasl: ("plain", "admin", "admin-secret"));
        Assert.Equal(System.Text.Json.JsonValueKind.Array, described.ValueKind);

        using var admin = Admin("admin");
        var bobs = await admin.DescribeAclsAsync(new AclBindingFilter
        {
            PatternFilter = new ResourcePatternFilter { Type = ResourceType.Any, Name = "apis-audit-", ResourcePatternType = ResourcePatternType.Any },
            EntryFilter = new AccessControlEntryFilter { Operation = AclOperation.Any, PermissionType = AclPermissionType.Any, Principal = "User:bob" },
        });
        Assert.Equal(writeAudit, Assert.Single(bobs.AclBindings));
        var nobodys = await admin.DescribeAclsAsync(new AclBindingFilter
        {
            PatternFilter = new ResourcePatternFilter { Type = ResourceType.Any, Name = "apis-audit-", ResourcePatternType = ResourcePatternType.Any },
            EntryFilter = new AccessControlEntryFilter { Operation = AclOperation.Any, PermissionType = AclPermissionType.Any, Principal = "User:carol" },
        });
        Assert.Empty(nobodys.AclBindings);

        // MATCH names every binding that applies to a resource: the prefixed one applies to apis-audit-1.
        var matching = await admin.DescribeAclsAsync(new AclBindingFilter
        {
            PatternFilter = new ResourcePatternFilter { Type = ResourceType.Topic, Name = "apis-audit-1", ResourcePatternType = ResourcePatternType.Match },
            EntryFilter = new AccessControlEntryFilter { Operation = AclOperation.Any, PermissionType = AclPermissionType.Any },
        });
        Assert.Equal(writeAudit, Assert.Single(matching.AclBindings));

        var deleted = await admin.DeleteAclsAsync([AnyAclOn("apis-orders")]);
        Assert.Equal(readOrders, Assert.Single(Assert.Single(deleted).AclBindings));
        Assert.Empty((await admin.DescribeAclsAsync(AnyAclOn("apis-orders"))).AclBindings);

        // Kafka's validation: the cluster resource has one name.
        var invalid = await Assert.ThrowsAsync<CreateAclsException>(() =>
            admin.CreateAclsAsync([Acl(ResourceType.Broker, "not-the-cluster", "User:alice", AclOperation.Alter)]));
        Assert.Equal(ErrorCode.InvalidRequest, Assert.Single(invalid.Results).Error.Code);
    }

    [Fact]
    public async Task Produce_NeedsWriteOnTheTopic_LiteralOrPrefixed_AndADenyOutweighsAnAllow()
    {
        await broker.CreateAsync("produce-orders", 1);
        await broker.CreateAsync("produce-bob-1", 1);

        Assert.Equal(ErrorCode.TopicAuthorizationFailed, await ProduceAsync("alice", "produce-orders"));

        await GrantAsync(
            Acl(ResourceType.Topic, "produce-orders", "User:alice", AclOperation.Write),
            Acl(ResourceType.Topic, "produce-bob-", "User:bob", AclOperation.Write, pattern: ResourcePatternType.Prefixed));
        Assert.Equal(ErrorCode.NoError, await ProduceAsync("alice", "produce-orders"));
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, await ProduceAsync("bob", "produce-orders"));
        Assert.Equal(ErrorCode.NoError, await ProduceAsync("bob", "produce-bob-1"));

        await GrantAsync(Acl(ResourceType.Topic, "produce-", "User:alice", AclOperation.All, AclPermissionType.Deny, ResourcePatternType.Prefixed));
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, await ProduceAsync("alice", "produce-orders"));

        // Nothing alice was refused was written: only her one accepted record and bob's.
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig(As("admin")) { GroupId = "produce-check", AutoOffsetReset = AutoOffsetReset.Earliest }).Build();
        consumer.Assign(new TopicPartitionOffset("produce-orders", 0, Offset.Beginning));
        Assert.Equal("from alice", consumer.Consume(TimeSpan.FromSeconds(10))?.Message.Value);
        Assert.Null(consumer.Consume(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Consume_NeedsReadOnTheTopicAndOnTheGroup()
    {
        await broker.CreateAsync("consume-events", 1);
        Assert.Equal(ErrorCode.NoError, await ProduceAsync("admin", "consume-events"));
        await GrantAsync(Acl(ResourceType.Topic, "consume-events", "User:alice", AclOperation.Read));

        Assert.Equal(ErrorCode.GroupAuthorizationFailed, FirstConsumeError("alice", "consume-app", "consume-events"));

        await GrantAsync(Acl(ResourceType.Group, "consume-app", "User:alice", AclOperation.Read));
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig(As("alice"))
        {
            GroupId = "consume-app", AutoOffsetReset = AutoOffsetReset.Earliest, EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe("consume-events");
        var record = consumer.Consume(TimeSpan.FromSeconds(30));
        Assert.Equal("from admin", record?.Message.Value);
        consumer.Commit(record);
        Assert.Equal(1, consumer.Committed([new TopicPartition("consume-events", 0)], TimeSpan.FromSeconds(10)).Single().Offset.Value);

        // Bob may use his group but not read the topic: its partition is refused, and nothing of it is returned.
        await GrantAsync(Acl(ResourceType.Group, "consume-bob", "User:bob", AclOperation.Read));
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, FirstConsumeError("bob", "consume-bob", "consume-events"));
    }

    [Fact]
    public async Task Metadata_ListsOnlyTheTopicsThePrincipalMayDescribe()
    {
        await broker.CreateAsync("metadata-seen", 1);
        await broker.CreateAsync("metadata-hidden", 1);
        await GrantAsync(Acl(ResourceType.Topic, "metadata-seen", "User:alice", AclOperation.Describe));

        using var alice = Admin("alice");
        var names = alice.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Select(t => t.Topic).ToList();
        Assert.Contains("metadata-seen", names);
        Assert.DoesNotContain("metadata-hidden", names);

        var asked = alice.GetMetadata("metadata-hidden", TimeSpan.FromSeconds(10)).Topics.Single();
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, asked.Error.Code);

        // An unknown topic is not told apart from a hidden one, and is not created for a principal without CREATE.
        var unknown = alice.GetMetadata("metadata-never", TimeSpan.FromSeconds(10)).Topics.Single();
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, unknown.Error.Code);
        using var admin = Admin("admin");
        Assert.DoesNotContain("metadata-never", admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.Select(t => t.Topic));
    }

    [Fact]
    public async Task CreateAndDeleteTopics_NeedCreateAndDelete()
    {
        using var alice = Admin("alice");
        var refused = await Assert.ThrowsAsync<CreateTopicsException>(() =>
            alice.CreateTopicsAsync([new TopicSpecification { Name = "topics-new", NumPartitions = 1 }]));
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, Assert.Single(refused.Results).Error.Code);

        await GrantAsync(Acl(ResourceType.Topic, "topics-", "User:alice", AclOperation.Create, pattern: ResourcePatternType.Prefixed));
        await alice.CreateTopicsAsync([new TopicSpecification { Name = "topics-new", NumPartitions = 1 }]);

        var notDeleted = await Assert.ThrowsAsync<DeleteTopicsException>(() => alice.DeleteTopicsAsync(["topics-new"]));
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, Assert.Single(notDeleted.Results).Error.Code);
        await GrantAsync(Acl(ResourceType.Topic, "topics-new", "User:alice", AclOperation.Delete));
        await alice.DeleteTopicsAsync(["topics-new"]);
    }

    [Fact]
    public async Task Transactions_NeedWriteOnTheTransactionalId()
    {
        await broker.CreateAsync("txn-ledger", 1);
        await GrantAsync(
            Acl(ResourceType.Topic, "txn-ledger", "User:alice", AclOperation.Write),
            Acl(TransactionalId, "txn-alice-", "User:alice", AclOperation.Write, pattern: ResourcePatternType.Prefixed));

        using (var other = new ProducerBuilder<Null, string>(new ProducerConfig(As("alice")) { TransactionalId = "txn-other" }).Build())
        {
            var refused = Assert.Throws<KafkaException>(() => other.InitTransactions(TimeSpan.FromSeconds(10)));
            Assert.Equal(ErrorCode.TransactionalIdAuthorizationFailed, refused.Error.Code);
        }

        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig(As("alice")) { TransactionalId = "txn-alice-1" }).Build();
        producer.InitTransactions(TimeSpan.FromSeconds(10));
        producer.BeginTransaction();
        await producer.ProduceAsync("txn-ledger", new Message<Null, string> { Value = "in a transaction" });
        producer.CommitTransaction(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task AnAclsHost_IsMatchedAgainstTheClientsAddress_AnIpv4ClientOfADualModeListenerToo()
    {
        await broker.CreateAsync("host-topic", 1);
        await GrantAsync(Acl(ResourceType.Topic, "host-topic", "User:bob", AclOperation.Write));
        Assert.Equal(ErrorCode.NoError, await ProduceAsync("bob", "host-topic", BrokerAddressFamily.V4));

        await GrantAsync(new AclBinding
        {
            Pattern = new ResourcePattern { Type = ResourceType.Topic, Name = "host-topic", ResourcePatternType = ResourcePatternType.Literal },
            Entry = new AccessControlEntry { Principal = "User:bob", Host = "127.0.0.1", Operation = AclOperation.Write, PermissionType = AclPermissionType.Deny },
        });
        Assert.Equal(ErrorCode.TopicAuthorizationFailed, await ProduceAsync("bob", "host-topic", BrokerAddressFamily.V4));
    }

    [Fact]
    public async Task ASuperUser_MayDoAnything_WithoutAnyAcl()
    {
        using var admin = Admin("admin");
        await admin.CreateTopicsAsync([new TopicSpecification { Name = "super-topic", NumPartitions = 1 }]);
        Assert.Equal(ErrorCode.NoError, await ProduceAsync("admin", "super-topic"));
        await admin.DeleteTopicsAsync(["super-topic"]);
    }

    /// <summary>A kafkajs script that describes every ACL: the resources found, or the error's type.</summary>
    internal const string DescribeEverything = """
        try {
          const found = await admin.describeAcls({ resourceType: 1, resourcePatternType: 1, operation: 1, permissionType: 1 });
          return found.resources;
        } catch (e) {
          return e.type;
        }
        """;

    private static AclBindingFilter AnyAclOn(string topic) => new()
    {
        PatternFilter = new ResourcePatternFilter { Type = ResourceType.Topic, Name = topic, ResourcePatternType = ResourcePatternType.Any },
        EntryFilter = new AccessControlEntryFilter { Operation = AclOperation.Any, PermissionType = AclPermissionType.Any },
    };

    /// <summary>The first error a consumer of the group meets: from Consume, or reported to its error handler.</summary>
    private ErrorCode FirstConsumeError(string user, string group, string topic)
    {
        var errors = new List<ErrorCode>();
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig(As(user)) { GroupId = group, AutoOffsetReset = AutoOffsetReset.Earliest })
            .SetErrorHandler((_, e) => { lock (errors) { errors.Add(e.Code); } })
            .Build();
        consumer.Subscribe(topic);

        for (var deadline = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < deadline;)
        {
            try
            {
                var record = consumer.Consume(TimeSpan.FromMilliseconds(200));
                Assert.Null(record);
            }
            catch (ConsumeException e)
            {
                return e.Error.Code;
            }

            lock (errors)
            {
                if (errors.Count > 0)
                {
                    return errors[0];
                }
            }
        }

        return ErrorCode.NoError;
    }
}

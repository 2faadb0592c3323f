using System.Text.Json.Nodes;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.RestProxy;

/// <summary>
/// The REST Proxy acting as its caller: with Kafka's authorizer on and HTTP Basic over the Kafka listeners' SASL users,
/// a REST user produces, consumes, lists and creates only what the Kafka ACLs let that user do, refused with
/// Confluent's 403 (40301) and nothing written or read; granting the ACL lets the same call through.
/// </summary>
public sealed class RestProxyAclTests(RestProxyAclTests.RestAclBroker broker) : IClassFixture<RestProxyAclTests.RestAclBroker>
{
    public sealed class RestAclBroker : BrokerFixture
    {
        public int SaslPort { get; } = TestPorts.Next();

        protected override IReadOnlyList<string> Settings =>
        [
            "--Tributary:Kafka:Listeners", $"PLAINTEXT://:{KafkaPort},SASL_PLAINTEXT://:{SaslPort}",
            "--Tributary:Kafka:Sasl:PlainUsers:alice", "alice-secret",
            "--Tributary:Kafka:Sasl:PlainUsers:bob", "bob-secret",
            "--Tributary:Kafka:Authorizer:ClassName", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            // The PLAINTEXT listener's anonymous principal is the fixture's own set-up.
            "--Tributary:Kafka:Authorizer:SuperUsers", "User:ANONYMOUS",
            "--Tributary:RestProxy:Authentication:Method", "BASIC",
            "--Tributary:RestProxy:Authentication:KafkaUsers", "true",
        ];
    }

    private RestClient As(string user) => new(broker.RestUrl, user, user + "-secret");

    private async Task GrantAsync(ResourceType type, string name, string user, AclOperation operation)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        await admin.CreateAclsAsync([new AclBinding
        {
            Pattern = new ResourcePattern { Type = type, Name = name, ResourcePatternType = ResourcePatternType.Literal },
            Entry = new AccessControlEntry { Principal = "User:" + user, Host = "*", Operation = operation, PermissionType = AclPermissionType.Allow },
        }]);
    }

    private long EndOffset(string topic)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = "rest-acl-check" }).Build();
        return consumer.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(10)).High.Value;
    }

    [Fact]
    public async Task AProducer_WithoutWrite_IsRefusedAndWritesNothing_ThenWritesOnceGranted()
    {
        await broker.CreateAsync("rest-acl-produced", 1);
        using var bob = As("bob");

        // As Confluent's producer fails each record: 40301 on every offset, and the answer 403.
        var refused = await bob.ProduceAsync("/topics/rest-acl-produced", "json", new { records = new[] { new { value = "no" }, new { value = "not either" } } });
        Assert.Equal(403, refused.Status);
        Assert.All(refused.Body!["offsets"]!.AsArray(), o =>
        {
            Assert.Equal(40301, o!["error_code"]!.GetValue<int>());
            Assert.Equal("Not authorized to access topics: [rest-acl-produced]", o["error"]!.GetValue<string>());
        });
        var refusedV3 = await bob.SendAsync(HttpMethod.Post, $"/v3/clusters/{await ClusterIdAsync(bob)}/topics/rest-acl-produced/records",
            new { value = new { type = "JSON", data = "no" } }, "application/json");
        Assert.Equal(403, refusedV3.Status);
        Assert.Equal("Not authorized to access topics: [rest-acl-produced]", refusedV3.Body!["message"]!.GetValue<string>());
        Assert.Equal(0, EndOffset("rest-acl-produced"));


        await GrantAsync(ResourceType.Topic, "rest-acl-produced", "bob", AclOperation.Write);
        await Wait.UntilAsync(async () => (await bob.ProduceAsync("/topics/rest-acl-produced", "json", new { records = new[] { new { value = "yes" } } })).Status == 200,
            TimeSpan.FromSeconds(10), "bob's produce accepted once granted");
        Assert.Equal(1, EndOffset("rest-acl-produced"));

        // WRITE alone does not create a missing topic: that needs CREATE, as a Kafka producer's auto-creation does.
        await GrantAsync(ResourceType.Topic, "rest-acl-missing", "bob", AclOperation.Write);
        await Wait.UntilAsync(async () => (await bob.ProduceAsync("/topics/rest-acl-missing", "json", new { records = new[] { new { value = "no" } } })).Status == 404,
            TimeSpan.FromSeconds(10), "bob's produce to a missing topic answered 404");
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        Assert.DoesNotContain(admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics, t => t.Topic == "rest-acl-missing");
    }

    [Fact]
    public async Task AConsumer_ReadsOnlyTopicsItMayRead_AndAnUnreadableTopicsRecordsStayUnread()
    {
        await broker.CreateAsync("rest-acl-consumed", 1);
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await producer.ProduceAsync("rest-acl-consumed", new Message<Null, string> { Value = "\"secret\"" });
        }

        using var alice = As("alice");
        Assert.Equal(403, (await alice.SendAsync(HttpMethod.Post, "/consumers/rest-acl-group", new Dictionary<string, string> { ["name"] = "a", ["format"] = "json" })).Status);
        await GrantAsync(ResourceType.Group, "rest-acl-group", "alice", AclOperation.Read);

        var created = await CreateInstanceAsync(alice);
        Assert.Equal(204, (await alice.SendAsync(HttpMethod.Post, $"{created}/subscription", new { topics = new[] { "rest-acl-consumed" } })).Status);

        // The subscription does not name a topic alice may not describe.
        var subscription = await alice.GetAsync($"{created}/subscription");
        Assert.Equal(200, subscription.Status);
        Assert.Empty(subscription.Body!["topics"]!.AsArray());
        var refused = await PollUntilAnsweredAsync(alice, created, status => status == 403);
        Assert.Equal("Not authorized to access topics: [rest-acl-consumed]", refused.Body!["message"]!.GetValue<string>());

        // Nor may the group's offsets on that topic be committed, or read back.
        var offsets = new { offsets = new[] { new { topic = "rest-acl-consumed", partition = 0, offset = 1 } } };
        var commit = await alice.SendAsync(HttpMethod.Post, $"{created}/offsets", offsets);
        Assert.Equal(403, commit.Status);
        Assert.Equal(40301, RestClient.ErrorCode(commit));
        Assert.Equal(403, (await alice.SendAsync(HttpMethod.Get, $"{created}/offsets", new { partitions = new[] { new { topic = "rest-acl-consumed", partition = 0 } } })).Status);

        // Granted READ on the topic, the record refused before is read: the refusal moved nothing on.
        await GrantAsync(ResourceType.Topic, "rest-acl-consumed", "alice", AclOperation.Read);
        var read = await PollUntilAnsweredAsync(alice, created, status => status == 200, needRecords: true);
        Assert.Equal("secret", read.Body!.AsArray().Single()!["value"]!.GetValue<string>());
        Assert.Equal("rest-acl-consumed", (await alice.GetAsync($"{created}/subscription")).Body!["topics"]!.AsArray().Single()!.GetValue<string>());
        await GrantAsync(ResourceType.Topic, "rest-acl-assigned", "alice", AclOperation.Read);
        await broker.CreateAsync("rest-acl-assigned", 1);
        await broker.CreateAsync("rest-acl-unassignable", 1);
        var manual = await CreateInstanceAsync(alice);
        Assert.Equal(204, (await alice.SendAsync(HttpMethod.Post, $"{manual}/assignments",
            new { partitions = new[] { new { topic = "rest-acl-assigned", partition = 0 }, new { topic = "rest-acl-unassignable", partition = 0 } } })).Status);
        var assigned = (await alice.GetAsync($"{manual}/assignments")).Body!["partitions"]!.AsArray();
        Assert.Equal("rest-acl-assigned", Assert.Single(assigned)!["topic"]!.GetValue<string>());
        await alice.SendAsync(HttpMethod.Delete, manual);
        await alice.SendAsync(HttpMethod.Delete, created);
    }

    [Fact]
    public async Task TopicLists_ShowOnlyWhatTheUserMayDescribe_AndCreationNeedsCreate()
    {
        await broker.CreateAsync("rest-acl-visible", 1);
        await broker.CreateAsync("rest-acl-hidden", 1);
        await GrantAsync(ResourceType.Topic, "rest-acl-visible", "alice", AclOperation.Describe);
        using var alice = As("alice");

        await Wait.UntilAsync(async () => (await alice.GetAsync("/topics")).Body!.AsArray().Any(t => t!.GetValue<string>() == "rest-acl-visible"),
            TimeSpan.FromSeconds(10), "the topic alice may describe listed");
        var listed = (await alice.GetAsync("/topics")).Body!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        Assert.DoesNotContain("rest-acl-hidden", listed);
        var clusterId = await ClusterIdAsync(alice);
        var v3Listed = (await alice.GetAsync($"/v3/clusters/{clusterId}/topics")).Body!["data"]!.AsArray().Select(t => t!["topic_name"]!.GetValue<string>()).ToList();
        Assert.Contains("rest-acl-visible", v3Listed);
        Assert.DoesNotContain("rest-acl-hidden", v3Listed);
        Assert.Equal(403, (await alice.GetAsync("/topics/rest-acl-hidden")).Status);

        var create = await alice.SendAsync(HttpMethod.Post, $"/v3/clusters/{clusterId}/topics", new { topic_name = "rest-acl-new", partitions_count = 1 }, "application/json");
        Assert.Equal(403, create.Status);
        Assert.Equal(40301, RestClient.ErrorCode(create));
        await GrantAsync(ResourceType.Topic, "rest-acl-new", "alice", AclOperation.Create);
        await Wait.UntilAsync(async () => (await alice.SendAsync(HttpMethod.Post, $"/v3/clusters/{clusterId}/topics", new { topic_name = "rest-acl-new", partitions_count = 1 }, "application/json")).Status == 201,
            TimeSpan.FromSeconds(10), "alice's creation accepted once granted");
    }

    private static async Task<string> ClusterIdAsync(RestClient rest) =>
        (await rest.GetAsync("/v3/clusters")).Body!["data"]![0]!["cluster_id"]!.GetValue<string>();

    private static async Task<string> CreateInstanceAsync(RestClient rest)
    {
        var created = await rest.SendAsync(HttpMethod.Post, "/consumers/rest-acl-group", new Dictionary<string, string>
        {
            ["name"] = "alice-" + Guid.NewGuid().ToString("N")[..6],
            ["format"] = "json",
            ["auto.offset.reset"] = "earliest",
            ["auto.commit.enable"] = "false",
        });
        Assert.Equal(200, created.Status);
        return new Uri(created.Body!["base_uri"]!.GetValue<string>()).AbsolutePath;
    }

    /// <summary>Polls the instance until an answer the predicate accepts (with records, if asked); the last answer otherwise.</summary>
    private static async Task<(int Status, JsonNode? Body)> PollUntilAnsweredAsync(RestClient rest, string instance, Func<int, bool> accepted, bool needRecords = false)
    {
        (int Status, JsonNode? Body) polled = default;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            polled = await rest.GetAsync($"{instance}/records?timeout=1000", "application/vnd.kafka.json.v2+json");
            if (accepted(polled.Status) && (!needRecords || polled.Body is JsonArray { Count: > 0 }))
            {
                return polled;
            }
        }

        Assert.Fail($"no accepted answer: the last was {polled.Status} {polled.Body}");
        return polled;
    }
}

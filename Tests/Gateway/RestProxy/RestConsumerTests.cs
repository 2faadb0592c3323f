using System.Text.Json.Nodes;
using Confluent.Kafka;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.RestProxy;

/// <summary>
/// API v2 consumer instances as Confluent's quickstart uses them: create, subscribe, read records in the instance's
/// format, commit, delete; beside native consumers of the same group.
/// </summary>
public sealed class RestConsumerTests(RestConsumerFixture broker) : IClassFixture<RestConsumerFixture>
{
    private static async Task<List<JsonNode>> ReadAsync(RestClient rest, string instance, string format, int expected)
    {
        var records = new List<JsonNode>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (records.Count < expected && DateTime.UtcNow < deadline)
        {
            var polled = await rest.GetAsync($"{instance}/records?timeout=1000", $"application/vnd.kafka.{format}.v2+json");
            Assert.Equal(200, polled.Status);
            records.AddRange(polled.Body!.AsArray().Select(r => r!));
        }

        return records;
    }

    private static async Task<string> CreateAsync(RestClient rest, string group, string name, string format, bool autoCommit = false)
    {
        var created = await rest.SendAsync(HttpMethod.Post, $"/consumers/{group}", new Dictionary<string, string>
        {
            ["name"] = name,
            ["format"] = format,
            ["auto.offset.reset"] = "earliest",
            ["auto.commit.enable"] = autoCommit ? "true" : "false",
        });
        Assert.Equal(200, created.Status);
        Assert.Equal(name, created.Body!["instance_id"]!.GetValue<string>());
        return new Uri(created.Body["base_uri"]!.GetValue<string>()).AbsolutePath;
    }

    [Theory]
    [InlineData("json")]
    [InlineData("binary")]
    [InlineData("avro")]
    [InlineData("jsonschema")]
    [InlineData("protobuf")]
    public async Task TheQuickstart_ProducesConsumesCommitsAndDeletes(string format)
    {
        var topic = $"quickstart-{format}";
        await broker.CreateAsync(topic, 2);
        using var rest = new RestClient(broker.RestUrl);
        object[] values = format switch
        {
            "binary" => Enumerable.Range(0, 20).Select(i => (object)Convert.ToBase64String([(byte)i, 0xFF])).ToArray(),
            _ => Enumerable.Range(0, 20).Select(i => (object)new { id = i, name = $"n{i}" }).ToArray(),
        };
        var produce = new Dictionary<string, object> { ["records"] = values.Select(v => new { value = v }).ToArray() };
        produce["value_schema"] = format switch
        {
            "avro" => """{"type":"record","name":"Quick","fields":[{"name":"id","type":"int"},{"name":"name","type":"string"}]}""",
            "jsonschema" => """{"type":"object","properties":{"id":{"type":"integer"},"name":{"type":"string"}},"required":["id","name"]}""",
            "protobuf" => """syntax = "proto3"; message Quick { int32 id = 1; string name = 2; }""",
            _ => null!,
        };
        if (format is "json" or "binary")
        {
            produce.Remove("value_schema");
        }

        Assert.Equal(200, (await rest.ProduceAsync($"/topics/{topic}", format, produce)).Status);

        var instance = await CreateAsync(rest, $"quickstart-group-{format}", "reader", format);
        Assert.Equal(204, (await rest.SendAsync(HttpMethod.Post, $"{instance}/subscription", new { topics = new[] { topic } })).Status);
        Assert.Equal([topic], (await rest.GetAsync($"{instance}/subscription")).Body!["topics"]!.AsArray().Select(t => t!.GetValue<string>()));

        var records = await ReadAsync(rest, instance, format, 20);
        Assert.Equal(20, records.Count);
        var expected = values.Select(v => JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(v))!.ToJsonString()).Order().ToList();
        Assert.Equal(expected, records.Select(r => r["value"]!.ToJsonString()).Order().ToList());

        var committed = await rest.SendAsync(HttpMethod.Post, $"{instance}/offsets", "");
        Assert.Equal(200, committed.Status);
        Assert.Equal(20, committed.Body!.AsArray().Sum(c => c!["committed"]!.GetValue<long>()));
        var offsets = await rest.SendAsync(HttpMethod.Get, $"{instance}/offsets", new { partitions = new[] { new { topic, partition = 0 }, new { topic, partition = 1 } } });
        Assert.Equal(20, offsets.Body!["offsets"]!.AsArray().Sum(o => o!["offset"]!.GetValue<long>()));

        Assert.Equal(204, (await rest.SendAsync(HttpMethod.Delete, instance)).Status);
        Assert.Equal(40403, RestClient.ErrorCode(await rest.GetAsync($"{instance}/records", $"application/vnd.kafka.{format}.v2+json")));

        // A new instance of the group starts after the commit.
        var next = await CreateAsync(rest, $"quickstart-group-{format}", "second", format);
        await rest.SendAsync(HttpMethod.Post, $"{next}/subscription", new { topics = new[] { topic } });
        await Wait.UntilAsync(async () => (await rest.GetAsync($"{next}/assignments")).Body!["partitions"]!.AsArray().Count == 2, TimeSpan.FromSeconds(30), "the new instance is assigned");
        Assert.Empty((await rest.GetAsync($"{next}/records?timeout=500", $"application/vnd.kafka.{format}.v2+json")).Body!.AsArray());
        await rest.SendAsync(HttpMethod.Delete, next);
    }

    [Fact]
    public async Task ARestConsumerAndANativeConsumerInOneGroup_SplitThePartitions()
    {
        await broker.CreateAsync("mixed", 4);
        using var rest = new RestClient(broker.RestUrl);
        var instance = await CreateAsync(rest, "mixed-group", "rest-member", "binary");
        await rest.SendAsync(HttpMethod.Post, $"{instance}/subscription", new { topics = new[] { "mixed" } });
        await Wait.UntilAsync(async () => (await rest.GetAsync($"{instance}/assignments")).Body!["partitions"]!.AsArray().Count == 4, TimeSpan.FromSeconds(30), "the REST member alone takes all partitions");

        using var native = new GroupConsumer(broker.BootstrapServers, "mixed-group", "mixed", c => c.PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range);
        List<int> restPartitions = [];
        await Wait.UntilAsync(async () =>
        {
            restPartitions = (await rest.GetAsync($"{instance}/assignments")).Body!["partitions"]!.AsArray().Select(p => p!["partition"]!.GetValue<int>()).ToList();
            return restPartitions.Count == 2 && native.Assigned.Count == 2;
        }, TimeSpan.FromSeconds(30), "two partitions each");
        Assert.Equal([0, 1, 2, 3], restPartitions.Concat(native.Assigned.Snapshot().Select(p => p.Partition.Value)).Order());

        // Records produced to every partition reach exactly one of the two.
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            for (var p = 0; p < 4; p++)
            {
                await producer.ProduceAsync(new TopicPartition("mixed", p), new Message<Null, string> { Value = $"p{p}" });
            }
        }

        var read = await ReadAsync(rest, instance, "binary", 2);
        Assert.Equal(restPartitions.Order(), read.Select(r => r["partition"]!.GetValue<int>()).Order());
        await rest.SendAsync(HttpMethod.Delete, instance);
        await Wait.UntilAsync(() => native.Assigned.Count == 4, TimeSpan.FromSeconds(30), "the native consumer takes over when the instance is deleted");
    }

    [Fact]
    public async Task APatternSubscription_TakesEveryMatchingTopic()
    {
        await broker.CreateAsync("pattern-a", 1);
        await broker.CreateAsync("pattern-b", 2);
        await broker.CreateAsync("unmatched", 1);
        using var rest = new RestClient(broker.RestUrl);
        await rest.ProduceAsync("/topics/pattern-a", "json", new { records = new[] { new { value = "a" } } });
        await rest.ProduceAsync("/topics/pattern-b", "json", new { records = new[] { new { value = "b" } } });
        await rest.ProduceAsync("/topics/unmatched", "json", new { records = new[] { new { value = "u" } } });

        var instance = await CreateAsync(rest, "pattern-group", "by-pattern", "json");
        Assert.Equal(204, (await rest.SendAsync(HttpMethod.Post, $"{instance}/subscription", new { topic_pattern = "pattern-.*" })).Status);
        await Wait.UntilAsync(async () => (await rest.GetAsync($"{instance}/assignments")).Body!["partitions"]!.AsArray().Count == 3, TimeSpan.FromSeconds(30), "the three partitions of the matching topics");
        Assert.Equal(["a", "b"], (await ReadAsync(rest, instance, "json", 2)).Select(r => r["value"]!.GetValue<string>()).Order());
        await rest.SendAsync(HttpMethod.Delete, instance);
    }

    [Fact]
    public async Task AutoCommit_CommitsWhatEarlierPollsReturned()
    {
        await broker.CreateAsync("auto-commit", 1);
        using var rest = new RestClient(broker.RestUrl);
        await rest.ProduceAsync("/topics/auto-commit", "json", new { records = Enumerable.Range(0, 5).Select(i => new { value = i }) });
        var instance = await CreateAsync(rest, "auto-commit-group", "auto", "json", autoCommit: true);
        await rest.SendAsync(HttpMethod.Post, $"{instance}/subscription", new { topics = new[] { "auto-commit" } });
        Assert.Equal(5, (await ReadAsync(rest, instance, "json", 5)).Count);

        // The next poll commits the positions the last one left; so does deleting the instance.
        await rest.GetAsync($"{instance}/records?timeout=100", "application/vnd.kafka.json.v2+json");
        var offsets = await rest.SendAsync(HttpMethod.Get, $"{instance}/offsets", new { partitions = new[] { new { topic = "auto-commit", partition = 0 } } });
        Assert.Equal(5, offsets.Body!["offsets"]![0]!["offset"]!.GetValue<long>());
        await rest.SendAsync(HttpMethod.Delete, instance);
    }

    [Fact]
    public async Task AssignedPartitions_AreReadFromWhereTheInstanceSeeks()
    {
        await broker.CreateAsync("seeking", 1);
        using var rest = new RestClient(broker.RestUrl);
        await rest.ProduceAsync("/topics/seeking", "json", new { records = Enumerable.Range(0, 10).Select(i => new { value = i }) });
        var instance = await CreateAsync(rest, "seeking-group", "assigned", "json");
        var partition = new { topic = "seeking", partition = 0 };
        Assert.Equal(204, (await rest.SendAsync(HttpMethod.Post, $"{instance}/assignments", new { partitions = new[] { partition } })).Status);
        Assert.Equal(204, (await rest.SendAsync(HttpMethod.Post, $"{instance}/positions", new { offsets = new[] { new { topic = "seeking", partition = 0, offset = 7 } } })).Status);
        Assert.Equal([7, 8, 9], (await ReadAsync(rest, instance, "json", 3)).Select(r => r["value"]!.GetValue<int>()));

        Assert.Equal(204, (await rest.SendAsync(HttpMethod.Post, $"{instance}/positions/beginning", new { partitions = new[] { partition } })).Status);
        Assert.Equal(0, (await ReadAsync(rest, instance, "json", 1))[0]["offset"]!.GetValue<long>());
        Assert.Equal(204, (await rest.SendAsync(HttpMethod.Post, $"{instance}/positions/end", new { partitions = new[] { partition } })).Status);
        Assert.Empty((await rest.GetAsync($"{instance}/records?timeout=200", "application/vnd.kafka.json.v2+json")).Body!.AsArray());

        // Subscribing while assigned is an illegal state; so is a position on a partition not assigned.
        Assert.Equal(40903, RestClient.ErrorCode(await rest.SendAsync(HttpMethod.Post, $"{instance}/subscription", new { topics = new[] { "seeking" } })));
        Assert.Equal(40903, RestClient.ErrorCode(await rest.SendAsync(HttpMethod.Post, $"{instance}/positions", new { offsets = new[] { new { topic = "seeking", partition = 5, offset = 0 } } })));
        await rest.SendAsync(HttpMethod.Delete, instance);
    }

    [Fact]
    public async Task BadRequests_GetConfluentsErrorCodes()
    {
        using var rest = new RestClient(broker.RestUrl);
        var instance = await CreateAsync(rest, "errors-group", "taken", "json");
        var again = await rest.SendAsync(HttpMethod.Post, "/consumers/errors-group", new { name = "taken", format = "json" });
        Assert.Equal((409, 40902), (again.Status, RestClient.ErrorCode(again)));
        Assert.Equal(42204, RestClient.ErrorCode(await rest.SendAsync(HttpMethod.Post, "/consumers/errors-group", new { format = "xml" })));
        var wrongAccept = await rest.GetAsync($"{instance}/records", "application/vnd.kafka.binary.v2+json");
        Assert.Equal((406, 40601), (wrongAccept.Status, RestClient.ErrorCode(wrongAccept)));
        Assert.Equal(40403, RestClient.ErrorCode(await rest.SendAsync(HttpMethod.Post, "/consumers/errors-group/instances/nobody/subscription", new { topics = new[] { "t" } })));
        Assert.Equal(400, (await rest.SendAsync(HttpMethod.Post, $"{instance}/subscription", "{\"topics\": [")).Status);
        await rest.SendAsync(HttpMethod.Delete, instance);
    }

    [Fact]
    public async Task AnIdleInstance_ExpiresAfterItsTimeout_AndLeavesItsGroup()
    {
        await broker.CreateAsync("expiring", 1);
        using var rest = new RestClient(broker.RestUrl);
        var instance = await CreateAsync(rest, "expiring-group", "idle", "json");
        await rest.SendAsync(HttpMethod.Post, $"{instance}/subscription", new { topics = new[] { "expiring" } });
        await Wait.UntilAsync(async () => (await rest.GetAsync($"{instance}/assignments")).Body!["partitions"]!.AsArray().Count == 1, TimeSpan.FromSeconds(30), "the instance is a member");

        // Watched from outside, so that watching is no use of the instance.
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        async Task<int> MembersAsync() => (await admin.DescribeConsumerGroupsAsync(["expiring-group"])).ConsumerGroupDescriptions[0].Members.Count;
        Assert.Equal(1, await MembersAsync());
        await Wait.UntilAsync(async () => await MembersAsync() == 0, TimeSpan.FromSeconds(20), "the idle instance has left its group");
        Assert.Equal(40403, RestClient.ErrorCode(await rest.GetAsync($"{instance}/assignments")));
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.RestProxy;

/// <summary>API v3: the cluster, topic CRUD with configs and partitions, and produce (one record, and a stream).</summary>
public sealed class RestV3Tests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private async Task<string> ClusterAsync(RestClient rest)
    {
        var clusters = (await rest.GetAsync("/v3/clusters")).Body!;
        Assert.Equal("KafkaClusterList", clusters["kind"]!.GetValue<string>());
        return clusters["data"]![0]!["cluster_id"]!.GetValue<string>();
    }

    private int CountRecords(string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = "v3-count" }).Build();
        return Enumerable.Range(0, partitions).Sum(p => (int)consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value);
    }

    [Fact]
    public async Task Topics_AreCreatedDescribedConfiguredGrownAndDeleted()
    {
        using var rest = new RestClient(broker.RestUrl);
        var cluster = await ClusterAsync(rest);
        var topics = $"/v3/clusters/{cluster}/topics";

        var created = await rest.SendAsync(HttpMethod.Post, topics, new { topic_name = "v3-crud", partitions_count = 2, configs = new[] { new { name = "retention.ms", value = "60000" } } }, "application/json");
        Assert.Equal(201, created.Status);
        Assert.Equal(("KafkaTopic", 2), (created.Body!["kind"]!.GetValue<string>(), created.Body["partitions_count"]!.GetValue<int>()));
        Assert.EndsWith($"{topics}/v3-crud", created.Body["metadata"]!["self"]!.GetValue<string>(), StringComparison.Ordinal);
        var again = await rest.SendAsync(HttpMethod.Post, topics, new { topic_name = "v3-crud", partitions_count = 2 }, "application/json");
        Assert.Equal((400, 40002), (again.Status, RestClient.ErrorCode(again)));
        Assert.Equal(40002, RestClient.ErrorCode(await rest.SendAsync(HttpMethod.Post, topics, new { topic_name = "v3-bad-config", configs = new[] { new { name = "retention.ms", value = "soon" } } }, "application/json")));

        Assert.Contains("v3-crud", (await rest.GetAsync(topics)).Body!["data"]!.AsArray().Select(t => t!["topic_name"]!.GetValue<string>()));
        Assert.Equal("60000", (await rest.GetAsync($"{topics}/v3-crud/configs/retention.ms")).Body!["value"]!.GetValue<string>());
        Assert.Equal(204, (await rest.SendAsync(HttpMethod.Put, $"{topics}/v3-crud/configs/retention.ms", new { value = "120000" }, "application/json")).Status);
        Assert.Equal("120000", (await rest.GetAsync($"{topics}/v3-crud/configs/retention.ms")).Body!["value"]!.GetValue<string>());
        Assert.Equal(204, (await rest.SendAsync(HttpMethod.Post, $"{topics}/v3-crud/configs:alter", new { data = new object[] { new { name = "cleanup.policy", value = "compact" }, new { name = "retention.ms", operation = "DELETE" } } }, "application/json")).Status);
        var configs = (await rest.GetAsync($"{topics}/v3-crud/configs")).Body!["data"]!.AsArray();
        Assert.Equal("compact", configs.Single(c => c!["name"]!.GetValue<string>() == "cleanup.policy")!["value"]!.GetValue<string>());
        Assert.True(configs.Single(c => c!["name"]!.GetValue<string>() == "retention.ms")!["is_default"]!.GetValue<bool>());

        var grown = await rest.SendAsync(HttpMethod.Patch, $"{topics}/v3-crud", new { partitions_count = 4 }, "application/json");
        Assert.Equal(4, grown.Body!["partitions_count"]!.GetValue<int>());
        Assert.Equal([0, 1, 2, 3], (await rest.GetAsync($"{topics}/v3-crud/partitions")).Body!["data"]!.AsArray().Select(p => p!["partition_id"]!.GetValue<int>()));
        Assert.Equal(3, (await rest.GetAsync($"{topics}/v3-crud/partitions/3")).Body!["partition_id"]!.GetValue<int>());

        Assert.Equal(204, (await rest.SendAsync(HttpMethod.Delete, $"{topics}/v3-crud")).Status);
        Assert.Equal(404, (await rest.GetAsync($"{topics}/v3-crud")).Status);
        Assert.Equal(404, (await rest.GetAsync("/v3/clusters/no-such-cluster/topics")).Status);
    }

    [Fact]
    public async Task OneRecord_IsProducedWithItsKeyHeadersPartitionAndTimestamp()
    {
        await broker.CreateAsync("v3-one", 3);
        using var rest = new RestClient(broker.RestUrl);
        var cluster = await ClusterAsync(rest);
        var produced = await rest.SendAsync(HttpMethod.Post, $"/v3/clusters/{cluster}/topics/v3-one/records", new
        {
            partition_id = 2,
            headers = new[] { new { name = "trace", value = Convert.ToBase64String("abc"u8.ToArray()) } },
            key = new { type = "STRING", data = "customer-1" },
            value = new { type = "JSON", data = new { amount = 12.5 } },
            timestamp = "2026-01-02T03:04:05.678Z",
        }, "application/json");
        Assert.Equal(200, produced.Status);
        Assert.Equal((200, 2, 0L), (produced.Body!["error_code"]!.GetValue<int>(), produced.Body["partition_id"]!.GetValue<int>(), produced.Body["offset"]!.GetValue<long>()));
        Assert.Equal("STRING", produced.Body["key"]!["type"]!.GetValue<string>());

        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = "v3-one" }).Build();
        consumer.Assign(new TopicPartitionOffset("v3-one", 2, Offset.Beginning));
        var record = consumer.Consume(TimeSpan.FromSeconds(10))!;
        Assert.Equal(("customer-1", """{"amount":12.5}"""), (record.Message.Key, record.Message.Value));
        Assert.Equal("abc", Encoding.UTF8.GetString(record.Message.Headers.GetLastBytes("trace")));
        Assert.Equal(DateTimeOffset.Parse("2026-01-02T03:04:05.678Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(), record.Message.Timestamp.UnixTimestampMs);

        var bad = await rest.SendAsync(HttpMethod.Post, $"/v3/clusters/{cluster}/topics/v3-one/records", new { value = new { type = "BINARY", data = "not base64!" } }, "application/json");
        Assert.Equal((400, 400), (bad.Status, RestClient.ErrorCode(bad)));
        var wrongField = await rest.SendAsync(HttpMethod.Post, $"/v3/clusters/{cluster}/topics/v3-one/records", new { partition_id = "two", value = new { type = "JSON", data = 1 } }, "application/json");
        Assert.Equal((400, 400), (wrongField.Status, RestClient.ErrorCode(wrongField)));
        Assert.Equal(404, (await rest.SendAsync(HttpMethod.Post, $"/v3/clusters/{cluster}/topics/v3-none/records", new { value = new { type = "JSON", data = 1 } }, "application/json")).Status);
        Assert.Equal(1, CountRecords("v3-one", 3));
    }

    [Fact]
    public async Task AvroValues_ByTheirSchema_OrTheSubjectsLatestWhenNoTypeIsGiven()
    {
        await broker.CreateAsync("v3-avro", 1);
        using var rest = new RestClient(broker.RestUrl);
        var cluster = await ClusterAsync(rest);
        const string schema = """{"type":"record","name":"Reading","fields":[{"name":"celsius","type":"double"}]}""";
        var first = await rest.SendAsync(HttpMethod.Post, $"/v3/clusters/{cluster}/topics/v3-avro/records", new { value = new { type = "AVRO", schema, data = new { celsius = 21.5 } } }, "application/json");
        Assert.Equal(200, first.Status);
        var schemaId = first.Body!["value"]!["schema_id"]!.GetValue<int>();
        Assert.Equal("v3-avro-value", first.Body["value"]!["subject"]!.GetValue<string>());

        var latest = await rest.SendAsync(HttpMethod.Post, $"/v3/clusters/{cluster}/topics/v3-avro/records", new { value = new { data = new { celsius = 19.0 } } }, "application/json");
        Assert.Equal(schemaId, latest.Body!["value"]!["schema_id"]!.GetValue<int>());
        var mismatch = await rest.SendAsync(HttpMethod.Post, $"/v3/clusters/{cluster}/topics/v3-avro/records", new { value = new { schema_id = schemaId, data = new { celsius = "warm" } } }, "application/json");
        Assert.Equal(400, mismatch.Status);
        Assert.Equal(2, CountRecords("v3-avro", 1));
    }

    [Fact]
    public async Task AStreamOf10000Records_InOneChunkedRequest_GetsOneDeliveryReportEach_InOrder()
    {
        await broker.CreateAsync("v3-stream", 4);
        using var rest = new RestClient(broker.RestUrl);
        var cluster = await ClusterAsync(rest);
        const int Records = 10_000;
        const int Bad = 4_321;

        using var http = new HttpClient { BaseAddress = new Uri(broker.RestUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v3/clusters/{cluster}/topics/v3-stream/records")
        {
            Content = new RecordStream(Records, Bad),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var reports = new List<JsonNode>();
        while (await reader.ReadLineAsync() is { } line)
        {
            reports.Add(JsonNode.Parse(line)!);
        }

        Assert.Equal(Records, reports.Count);
        Assert.Equal(400, reports[Bad]["error_code"]!.GetValue<int>());
        var delivered = reports.Where((_, i) => i != Bad).ToList();
        Assert.All(delivered, r => Assert.Equal(200, r["error_code"]!.GetValue<int>()));

        // Per partition, the offsets follow the order of the stream with no gap.
        foreach (var partition in delivered.GroupBy(r => r["partition_id"]!.GetValue<int>()))
        {
            Assert.Equal(Enumerable.Range(0, partition.Count()).Select(o => (long)o), partition.Select(r => r["offset"]!.GetValue<long>()));
        }

        Assert.Equal(Records - 1, CountRecords("v3-stream", 4));
    }

    [Fact]
    public async Task ConsumerGroups_ShowTheirConsumersAssignmentsAndLags()
    {
        await broker.CreateAsync("v3-lag", 2);
        var producing = DateTime.UtcNow;
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            for (var i = 0; i < 20; i++)
            {
                await producer.ProduceAsync(new TopicPartition("v3-lag", i % 2), new Message<Null, string> { Value = $"r{i}" });
            }
        }

        var produced = DateTime.UtcNow;

        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "v3-lag-group",
            ClientId = "lag-client",
            EnableAutoCommit = false,
            SessionTimeoutMs = 6000,
        }).Build();
        consumer.Subscribe("v3-lag");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (consumer.Assignment.Count < 2 && DateTime.UtcNow < deadline)
        {
            consumer.Consume(TimeSpan.FromMilliseconds(200));
        }

        consumer.Commit([new TopicPartitionOffset("v3-lag", 0, 4), new TopicPartitionOffset("v3-lag", 1, 7)]);

        using var rest = new RestClient(broker.RestUrl);
        var cluster = await ClusterAsync(rest);
        var groups = $"/v3/clusters/{cluster}/consumer-groups";
        var group = (await rest.GetAsync($"{groups}/v3-lag-group")).Body!;
        Assert.Equal(("STABLE", "range", false), (group["state"]!.GetValue<string>(), group["partition_assignor"]!.GetValue<string>(), group["is_simple"]!.GetValue<bool>()));
        Assert.Contains("v3-lag-group", (await rest.GetAsync(groups)).Body!["data"]!.AsArray().Select(g => g!["consumer_group_id"]!.GetValue<string>()));

        var member = Assert.Single((await rest.GetAsync($"{groups}/v3-lag-group/consumers")).Body!["data"]!.AsArray())!;
        Assert.Equal((consumer.MemberId, "lag-client"), (member["consumer_id"]!.GetValue<string>(), member["client_id"]!.GetValue<string>()));
        var assignments = (await rest.GetAsync($"{groups}/v3-lag-group/consumers/{consumer.MemberId}/assignments")).Body!["data"]!.AsArray();
        Assert.Equal([0, 1], assignments.Select(a => a!["partition_id"]!.GetValue<int>()).Order());

        var asking = DateTime.UtcNow;
        var lagList = (await rest.GetAsync($"{groups}/v3-lag-group/lags")).Body!["data"]!.AsArray();
        var answered = DateTime.UtcNow;
        var lags = lagList.Select(l => (l!["partition_id"]!.GetValue<int>(), l["current_offset"]!.GetValue<long>(), l["log_end_offset"]!.GetValue<long>(), l["lag"]!.GetValue<long>(), l["consumer_id"]!.GetValue<string>()));
        Assert.Equal([(0, 4L, 10L, 6L, consumer.MemberId), (1, 7L, 10L, 3L, consumer.MemberId)], lags);

        // In time too: the oldest unconsumed record of each partition was produced within the produce loop.
        Assert.All(lagList, l => Assert.InRange(
            l!["lag_ms"]!.GetValue<long>(), (long)(asking - produced).TotalMilliseconds - 5, (long)(answered - producing).TotalMilliseconds + 5));
        Assert.Equal(3, (await rest.GetAsync($"{groups}/v3-lag-group/lags/v3-lag/partitions/1")).Body!["lag"]!.GetValue<long>());

        var summary = (await rest.GetAsync($"{groups}/v3-lag-group/lag-summary")).Body!;
        Assert.Equal((6L, 9L, 0, consumer.MemberId), (summary["max_lag"]!.GetValue<long>(), summary["total_lag"]!.GetValue<long>(), summary["max_lag_partition_id"]!.GetValue<int>(), summary["max_lag_consumer_id"]!.GetValue<string>()));
        Assert.InRange(summary["max_lag_ms"]!.GetValue<long>(), (long)(asking - produced).TotalMilliseconds - 5, (long)(DateTime.UtcNow - producing).TotalMilliseconds + 5);
        Assert.Equal(404, (await rest.GetAsync($"{groups}/no-such-group")).Status);
        consumer.Close();
    }

    [Fact]
    public async Task AStreamLargerThanAnHttpBodyLimit_IsProducedWhole()
    {
        await broker.CreateAsync("v3-long-stream", 2);
        using var rest = new RestClient(broker.RestUrl);
        var cluster = await ClusterAsync(rest);
        const int Records = 36_000;

        // About 36 MB: more than Kestrel's default 30 MB request body, which a stream must not be held to.
        using var http = new HttpClient { BaseAddress = new Uri(broker.RestUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v3/clusters/{cluster}/topics/v3-long-stream/records")
        {
            Content = new RecordStream(Records, bad: -1, padding: 1000),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var delivered = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            Assert.StartsWith("{\"error_code\":200", line, StringComparison.Ordinal);
            delivered++;
        }

        Assert.Equal(Records, delivered);
        Assert.Equal(Records, CountRecords("v3-long-stream", 2));
    }

    /// <summary>Records written one by one into a request body of unknown length (sent chunked), as a streaming client does.</summary>
    private sealed class RecordStream : HttpContent
    {
        private readonly int _records;
        private readonly int _bad;
        private readonly string _padding;

        public RecordStream(int records, int bad, int padding = 0)
        {
            _records = records;
            _bad = bad;
            _padding = new string('x', padding);
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var i = 0; i < _records; i++)
            {
                var value = i == _bad ? """{"type":"BINARY","data":"*"}""" : $$$"""{"type":"JSON","data":{"n":{{{i}}},"pad":"{{{_padding}}}"}}""";
                await stream.WriteAsync(Encoding.UTF8.GetBytes($$"""{"key":{"type":"STRING","data":"k{{i % 13}}"},"value":{{value}}}""" + "\n"));
                if (i % 500 == 0)
                {
                    await stream.FlushAsync();
                }
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}

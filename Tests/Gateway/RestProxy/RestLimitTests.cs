using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Tributary.Tests.Gateway.Kafka.Limits;
using Tributary.Tests.Gateway.SchemaRegistry;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.RestProxy;

/// <summary>
/// The REST Proxy's bounds on a request: a body over <c>Tributary:RestProxy:MaxRequestBodyBytes</c> is refused (413),
/// JSON nested past <c>Tributary:RestProxy:MaxJsonDepth</c> is refused (400) while data nested a hundred records deep is
/// produced, and a producer on another topic is served as usual.
/// </summary>
public sealed class RestLimitTests(DefaultLimitsBroker broker) : IClassFixture<DefaultLimitsBroker>
{
    private const string JsonV2 = "application/vnd.kafka.json.v2+json";

    /// <summary>An object nested <paramref name="depth"/> levels: {"f":{"f":...{"f":1}}}.</summary>
    private static string Nested(int depth) => string.Concat(Enumerable.Repeat("{\"f\":", depth - 1)) + "{\"f\":1}" + new string('}', depth - 1);

    /// <summary>
    /// Posts records to the topic, announcing the body and waiting for the proxy's go-ahead before sending it (Expect:
    /// 100-continue), so that a refusal of its size is read rather than a connection closed while it is sent.
    /// </summary>
    private async Task<(HttpStatusCode Status, string Body)> ProduceAsync(string topic, string body, string contentType = JsonV2)
    {
        // The client waits for 100 Continue as long as the server may take on a loaded machine: after HttpClient's default
        // second it sends the body anyway, and a server refusing it with 413 closes the connection under the write.
        using var http = new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) }) { BaseAddress = new Uri(broker.RestUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/topics/{topic}") { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.ExpectContinue = true;
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task JsonNestedPastTheBound_IsRefused_AndDataNestedAHundredRecordsDeep_IsProduced()
    {
        await using var steady = await WellBehavedProducer.StartAsync(broker.BootstrapServers, LimitsBroker.SteadyTopic);
        await broker.CreateAsync("rest-deep", 1);

        var (deepStatus, deepBody) = await ProduceAsync("rest-deep", $$"""{"records":[{"value":{{Nested(400)}}}]}""");
        var (tooDeepStatus, tooDeepBody) = await ProduceAsync("rest-deep", $$"""{"records":[{"value":{{Nested(600)}}}]}""");

        Assert.True(deepStatus == HttpStatusCode.OK, deepBody);
        Assert.Null(JsonNode.Parse(deepBody)!["offsets"]![0]!["error_code"]);
        Assert.Equal(HttpStatusCode.BadRequest, tooDeepStatus);
        Assert.Contains("depth", tooDeepBody, StringComparison.OrdinalIgnoreCase);
        await steady.AssertServedAsync(LimitsBroker.ServedP99);
    }

    /// <summary>Record R0 whose optional field holds R1, and so on: four levels of JSON per record.</summary>
    private static string NestedRecords(int records) =>
        string.Concat(Enumerable.Range(0, records).Select(i => $$"""{"type":"record","name":"R{{i}}","fields":[{"name":"f","type":["null",""")) +
        "\"int\"" + string.Concat(Enumerable.Repeat("""],"default":null}]}""", records));

    [Fact]
    public async Task AnAvroSchemaNestedAHundredRecordsDeep_IsRegisteredAndProducedWith()
    {
        await using var steady = await WellBehavedProducer.StartAsync(broker.BootstrapServers, LimitsBroker.SteadyTopic);
        await broker.CreateAsync("rest-deep-avro", 1);
        var schema = System.Text.Json.JsonSerializer.Serialize(NestedRecords(100));

        var (status, body) = await ProduceAsync(
            "rest-deep-avro", $$$"""{"value_schema":{{{schema}}},"records":[{"value":{"f":null}}]}""", "application/vnd.kafka.avro.v2+json");

        Assert.True(status == HttpStatusCode.OK, body);
        var answer = JsonNode.Parse(body)!;
        Assert.True(answer["value_schema_id"]!.GetValue<int>() > 0);
        Assert.Null(answer["offsets"]![0]!["error_code"]);
        await steady.AssertServedAsync(LimitsBroker.ServedP99);
    }

    [Fact]
    public async Task ABodyOverTheBound_IsRefusedWith413()
    {
        await using var steady = await WellBehavedProducer.StartAsync(broker.BootstrapServers, LimitsBroker.SteadyTopic);
        await broker.CreateAsync("rest-huge", 1);

        var (status, body) = await ProduceAsync("rest-huge", $$"""{"records":[{"value":"{{new string('x', 33 << 20)}}"}]}""");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(413, JsonNode.Parse(body)!["error_code"]!.GetValue<int>());
        await steady.AssertServedAsync(LimitsBroker.ServedP99);
    }

    [Fact]
    public async Task AnAvroRecordClaimingMoreItemsThanItsBytesCanHold_StopsTheConsumerInstanceAtIt_AndArraysOfNullsWithinTheAllowanceAreRead()
    {
        const string topic = "avro-items";
        await broker.CreateAsync(topic, 1);
        using var registry = new RegistryHttp(broker.RegistryUrl);
        var registered = await registry.PostAsync($"/subjects/{topic}-value/versions", new
        {
            schema = """{"type":"record","name":"Bag","fields":[{"name":"nothing","type":{"type":"array","items":"null"}}]}""",
        });
        var id = registered.Body!["id"]!.GetValue<int>();

        // An array of nulls takes no byte per item: a few bytes can claim a hundred million of them, which a reader
        // would allocate and render before noticing anything.
        static byte[] Bag(int schemaId, long items)
        {
            var bytes = new List<byte> { 0, (byte)(schemaId >> 24), (byte)(schemaId >> 16), (byte)(schemaId >> 8), (byte)schemaId };
            for (var zigzag = (ulong)items << 1; ; zigzag >>= 7)
            {
                bytes.Add((byte)(zigzag < 0x80 ? zigzag : (zigzag & 0x7F) | 0x80));
                if (zigzag < 0x80)
                {
                    break;
                }
            }

            if (items > 0)
            {
                bytes.Add(0);
            }

            return [.. bytes];
        }

        using (var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            foreach (var items in new long[] { 3, 5_000, 100_000_000, 1 })
            {
                await producer.ProduceAsync(topic, new Message<Null, byte[]> { Value = Bag(id, items) });
            }
        }

        using var rest = new RestClient(broker.RestUrl);
        var created = await rest.SendAsync(HttpMethod.Post, "/consumers/avro-items-group", new Dictionary<string, string>
        {
            ["name"] = "reader", ["format"] = "avro", ["auto.offset.reset"] = "earliest", ["auto.commit.enable"] = "false",
        });
        var instance = new Uri(created.Body!["base_uri"]!.GetValue<string>()).AbsolutePath;
        Assert.Equal(204, (await rest.SendAsync(HttpMethod.Post, $"{instance}/assignments", new { partitions = new[] { new { topic, partition = 0 } } })).Status);
        const string accept = "application/vnd.kafka.avro.v2+json";

        var lengths = new List<int>();
        (int Status, JsonNode? Body) polled;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((polled = await rest.GetAsync($"{instance}/records?timeout=1000", accept)).Status == 200 && DateTime.UtcNow < deadline)
        {
            lengths.AddRange(polled.Body!.AsArray().Select(r => r!["value"]!["nothing"]!.AsArray().Count));
        }

        Assert.Equal([3, 5_000], lengths);
        Assert.Equal((500, 50002), (polled.Status, RestClient.ErrorCode(polled)));
        Assert.Contains("claims 100000000 more items than its data can hold", polled.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(204, (await rest.SendAsync(HttpMethod.Post, $"{instance}/positions", new { offsets = new[] { new { topic, partition = 0, offset = 3 } } })).Status);
        var after = await rest.GetAsync($"{instance}/records?timeout=5000", accept);
        Assert.Equal(200, after.Status);
        Assert.Equal([1], after.Body!.AsArray().Select(r => r!["value"]!["nothing"]!.AsArray().Count));
        await rest.SendAsync(HttpMethod.Delete, instance);
    }
}

using System.Text.Json;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.RestProxy;

/// <summary>
/// The jsonschema and protobuf embedded formats of API v2, read back by Confluent's own deserializers: records
/// produced through the REST Proxy are read by Confluent's .NET JSON Schema deserializer and its JavaScript Protobuf
/// deserializer, and a value that does not fit its schema is refused whole with 42203.
/// </summary>
public sealed class RestSchemaFormatsTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    public sealed class Order
    {
        public string Id { get; set; } = "";

        public double Amount { get; set; }
    }

    private const string OrderSchema = """
        {"$schema":"http://json-schema.org/draft-07/schema#","type":"object","title":"Order",
         "properties":{"Id":{"type":"string"},"Amount":{"type":"number","minimum":0}},"required":["Id","Amount"]}
        """;

    private const string PersonSchema = """
        syntax = "proto3";
        package people;
        import "google/protobuf/timestamp.proto";
        message Person {
          string name = 1;
          int64 age = 2;
          map<string, string> tags = 3;
          google.protobuf.Timestamp born = 4;
          Kind kind = 5;
          repeated double scores = 6;
          enum Kind { UNKNOWN = 0; ADULT = 1; }
        }
        """;

    [Fact]
    public async Task JsonSchemaValues_AreValidated_AndReadByConfluentsJsonDeserializer()
    {
        await broker.CreateAsync("rest-jsonschema", 1);
        using var rest = new RestClient(broker.RestUrl);

        var produced = await rest.ProduceAsync("/topics/rest-jsonschema", "jsonschema", new
        {
            value_schema = OrderSchema,
            records = Enumerable.Range(0, 5).Select(i => new { value = new { Id = $"o{i}", Amount = i * 1.5 } }).ToArray(),
        });
        var refused = await rest.ProduceAsync("/topics/rest-jsonschema", "jsonschema", new
        {
            value_schema_id = produced.Body!["value_schema_id"]!.GetValue<int>(),
            records = new object[] { new { value = new { Id = "ok", Amount = 1 } }, new { value = new { Id = "bad", Amount = -1 } } },
        });

        Assert.Equal(200, produced.Status);
        Assert.Equal((422, 42203), (refused.Status, RestClient.ErrorCode(refused)));
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = broker.RegistryUrl });
        var orders = SerdesTopics.Consume(broker.BootstrapServers, "rest-jsonschema", 5, new JsonDeserializer<Order>(registry).AsSyncOverAsync());
        Assert.Equal(Enumerable.Range(0, 5).Select(i => ($"o{i}", i * 1.5)), orders.Select(o => (o.Id, o.Amount)));
        // Nothing of the refused request was written, not even its valid record.
        Assert.Equal(5, (await rest.GetAsync("/topics/rest-jsonschema/partitions/0/offsets")).Body!["end_offset"]!.GetValue<long>());
    }

    [Fact]
    public async Task ProtobufValues_AreEncodedFromJson_AndReadByConfluentsProtobufDeserializer()
    {
        await broker.CreateAsync("rest-protobuf", 1);
        using var rest = new RestClient(broker.RestUrl);
        var people = Enumerable.Range(0, 3).Select(i => new Dictionary<string, object>
        {
            ["name"] = $"p{i}",
            ["age"] = (40 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["tags"] = new Dictionary<string, string> { ["team"] = $"t{i}" },
            ["born"] = $"2000-01-0{i + 1}T00:00:00Z",
            ["kind"] = "ADULT",
            ["scores"] = new[] { 1.5, i },
        }).ToArray();

        var produced = await rest.ProduceAsync("/topics/rest-protobuf", "protobuf", new { value_schema = PersonSchema, records = people.Select(p => new { value = p }).ToArray() });
        var refused = await rest.ProduceAsync("/topics/rest-protobuf", "protobuf", new { value_schema = PersonSchema, records = new[] { new { value = new { name = "x", age = "not a number" } } } });

        Assert.Equal(200, produced.Status);
        Assert.Equal((422, 42203), (refused.Status, RestClient.ErrorCode(refused)));
        var bytes = SerdesTopics.Consume(broker.BootstrapServers, "rest-protobuf", 3, Deserializers.ByteArray);
        var read = await ConfluentSchemaRegistryJs.RunAsync(ReadScript, new Dictionary<string, string>
        {
            ["REGISTRY"] = broker.RegistryUrl,
            ["RECORDS"] = JsonSerializer.Serialize(bytes.Select(Convert.ToHexStringLower)),
        });
        var values = read.GetProperty("values").EnumerateArray().ToList();
        Assert.Equal(3, values.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("people.Person", values[i].GetProperty("type").GetString());
            Assert.Equal($"p{i}", values[i].GetProperty("name").GetString());
            Assert.Equal($"{40 + i}", values[i].GetProperty("age").GetString());
            Assert.Equal($"t{i}", values[i].GetProperty("tags").GetProperty("team").GetString());
            Assert.Equal(new DateTimeOffset(2000, 1, 1 + i, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                values[i].GetProperty("born").GetProperty("seconds").GetString());
            Assert.Equal(1, values[i].GetProperty("kind").GetInt32());
            Assert.Equal([1.5, i], values[i].GetProperty("scores").EnumerateArray().Select(s => s.GetDouble()));
        }
    }

    [Fact]
    public async Task V3RecordsTypedJsonSchemaAndProtobuf_AreWrittenInTheWireFormat()
    {
        await broker.CreateAsync("v3-jsonschema", 1);
        await broker.CreateAsync("rest-protobuf-v3", 1);
        using var rest = new RestClient(broker.RestUrl);
        var cluster = (await rest.GetAsync("/v3/clusters")).Body!["data"]![0]!["cluster_id"]!.GetValue<string>();
        Task<(int Status, System.Text.Json.Nodes.JsonNode? Body)> PostAsync(string topic, object value) =>
            rest.SendAsync(HttpMethod.Post, $"/v3/clusters/{cluster}/topics/{topic}/records", new { value }, "application/json");

        var order = await PostAsync("v3-jsonschema", new { type = "JSONSCHEMA", schema = OrderSchema, data = new { Id = "v3", Amount = 2.5 } });
        var badOrder = await PostAsync("v3-jsonschema", new { type = "JSONSCHEMA", schema_id = order.Body!["value"]!["schema_id"]!.GetValue<int>(), data = new { Id = "v3" } });
        var person = await PostAsync("rest-protobuf-v3", new { type = "PROTOBUF", schema = PersonSchema, data = new { name = "v3", age = 7 } });
        var latest = await PostAsync("rest-protobuf-v3", new { type = "PROTOBUF", data = new { name = "latest", kind = "ADULT" } });

        Assert.Equal((200, 400), (order.Status, badOrder.Status));
        Assert.Equal(("JSONSCHEMA", "v3-jsonschema-value"), (order.Body["value"]!["type"]!.GetValue<string>(), order.Body["value"]!["subject"]!.GetValue<string>()));
        Assert.Equal((200, 200), (person.Status, latest.Status));
        Assert.Equal(person.Body!["value"]!["schema_id"]!.GetValue<int>(), latest.Body!["value"]!["schema_id"]!.GetValue<int>());

        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = broker.RegistryUrl });
        var orders = SerdesTopics.Consume(broker.BootstrapServers, "v3-jsonschema", 1, new JsonDeserializer<Order>(registry).AsSyncOverAsync());
        Assert.Equal(("v3", 2.5), (orders.Single().Id, orders.Single().Amount));
        var bytes = SerdesTopics.Consume(broker.BootstrapServers, "rest-protobuf-v3", 2, Deserializers.ByteArray);
        var read = await ConfluentSchemaRegistryJs.RunAsync(ReadScript, new Dictionary<string, string>
        {
            ["REGISTRY"] = broker.RegistryUrl,
            ["RECORDS"] = JsonSerializer.Serialize(bytes.Select(Convert.ToHexStringLower)),
        });
        var values = read.GetProperty("values").EnumerateArray().ToList();
        Assert.Equal(("v3", "7"), (values[0].GetProperty("name").GetString(), values[0].GetProperty("age").GetString()));
        Assert.Equal(("latest", 1), (values[1].GetProperty("name").GetString(), values[1].GetProperty("kind").GetInt32()));
    }

    /// <summary>Confluent's JavaScript Protobuf deserializer over hex records; BigInts written as strings.</summary>
    private const string ReadScript = """
        const { ProtobufDeserializer } = require('@confluentinc/schemaregistry/dist/serde/protobuf');
        const { SerdeType } = require('@confluentinc/schemaregistry/dist/serde/serde');
        const { SchemaRegistryClient } = require('@confluentinc/schemaregistry');
        const client = SchemaRegistryClient.newClient({ baseURLs: [process.env.REGISTRY] });
        const deserializer = new ProtobufDeserializer(client, SerdeType.VALUE, {});
        (async () => {
          const values = [];
          for (const hex of JSON.parse(process.env.RECORDS)) {
            const m = await deserializer.deserialize('rest-protobuf', Buffer.from(hex, 'hex'));
            values.push({ type: m.$typeName, name: m.name, age: m.age, tags: m.tags, born: m.born, kind: m.kind, scores: m.scores });
          }
          process.stdout.write(JSON.stringify({ values }, (k, v) => typeof v === 'bigint' ? v.toString() : v));
        })().catch(e => { process.stderr.write(String((e && e.stack) || e)); process.exit(1); });
        """;
}

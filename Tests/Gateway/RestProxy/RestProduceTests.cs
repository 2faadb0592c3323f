using System.Text;
using System.Text.Json.Nodes;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.RestProxy;

/// <summary>
/// API v2 produce as Confluent's quickstart does it (JSON, binary and Avro records over HttpClient), read back with
/// Confluent.Kafka consumers and the Avro deserializer.
/// </summary>
public sealed class RestProduceTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private List<ConsumeResult<byte[]?, byte[]?>> ReadAll(string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "rest-readback",
            EnablePartitionEof = true,
        }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var records = new List<ConsumeResult<byte[]?, byte[]?>>();
        var ended = new HashSet<int>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (ended.Count < partitions && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is not { } result)
            {
                continue;
            }

            if (result.IsPartitionEOF)
            {
                ended.Add(result.Partition.Value);
            }
            else
            {
                records.Add(result);
            }
        }

        return records;
    }

    [Fact]
    public async Task JsonRecords_AreProduced_WithKeysPartitionedAsKafkasProducersDo()
    {
        await broker.CreateAsync("rest-json", 3);
        using var rest = new RestClient(broker.RestUrl);
        var records = Enumerable.Range(0, 30).Select(i => new { key = $"customer-{i % 7}", value = new { order = i, items = new[] { "a", "b" } } }).ToArray();
        var produced = await rest.ProduceAsync("/topics/rest-json", "json", new { records });
        Assert.Equal(200, produced.Status);
        Assert.Null(produced.Body!["value_schema_id"]);
        var offsets = produced.Body["offsets"]!.AsArray();
        Assert.Equal(30, offsets.Count);
        Assert.All(offsets, o => Assert.Null(o!["error_code"]));

        // A Java or librdkafka (murmur2) producer puts each key (here the JSON text, quotes included) on the same partition.
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, Partitioner = Partitioner.Murmur2Random }).Build();
        for (var i = 0; i < 7; i++)
        {
            var native = await producer.ProduceAsync("rest-json", new Message<string, string> { Key = $"\"customer-{i}\"", Value = "native" });
            Assert.Equal(native.Partition.Value, offsets[i]!["partition"]!.GetValue<int>());
        }

        var read = ReadAll("rest-json", 3).Where(r => Encoding.UTF8.GetString(r.Message.Value!) != "native").ToList();
        Assert.Equal(30, read.Count);
        foreach (var record in read)
        {
            var value = JsonNode.Parse(record.Message.Value!)!;
            var i = value["order"]!.GetValue<int>();
            Assert.Equal($"\"customer-{i % 7}\"", Encoding.UTF8.GetString(record.Message.Key!));
            Assert.Equal(offsets[i]!["partition"]!.GetValue<int>(), record.Partition.Value);
            Assert.Equal(offsets[i]!["offset"]!.GetValue<long>(), record.Offset.Value);
        }
    }

    [Fact]
    public async Task BinaryRecords_ToOnePartition_ComeBackByteForByte()
    {
        await broker.CreateAsync("rest-binary", 2);
        using var rest = new RestClient(broker.RestUrl);
        var payloads = Enumerable.Range(0, 10).Select(i => Enumerable.Range(0, i * 10).Select(b => (byte)(b * 7 + i)).ToArray()).ToList();
        var produced = await rest.ProduceAsync("/topics/rest-binary/partitions/1", "binary", new
        {
            records = payloads.Select((p, i) => new { key = i % 2 == 0 ? null : Convert.ToBase64String([(byte)i]), value = Convert.ToBase64String(p) }),
        });
        Assert.Equal(200, produced.Status);
        Assert.All(produced.Body!["offsets"]!.AsArray(), o => Assert.Equal(1, o!["partition"]!.GetValue<int>()));

        var read = ReadAll("rest-binary", 2);
        Assert.Equal(payloads, read.Select(r => r.Message.Value!));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? null : new[] { (byte)i }), read.Select(r => r.Message.Key));
    }

    [Fact]
    public async Task AvroValues_AreRegistered_AndReadByConfluentsDeserializer()
    {
        await broker.CreateAsync("rest-avro", 1);
        using var rest = new RestClient(broker.RestUrl);
        const string schema = """{"type":"record","name":"Purchase","fields":[{"name":"item","type":"string"},{"name":"quantity","type":"int"},{"name":"note","type":["null","string"],"default":null}]}""";
        var first = await rest.ProduceAsync("/topics/rest-avro", "avro", new
        {
            key_schema = "\"string\"",
            value_schema = schema,
            records = new object[]
            {
                new { key = "k1", value = new { item = "apple", quantity = 3, note = (object?)null } },
                new { key = "k2", value = new { item = "pear", quantity = 1, note = new { @string = "ripe" } } },
            },
        });
        Assert.Equal(200, first.Status);
        var valueSchemaId = first.Body!["value_schema_id"]!.GetValue<int>();

        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = broker.RegistryUrl });
        Assert.Equal(valueSchemaId, (await registry.GetLatestSchemaAsync("rest-avro-value")).Id);
        Assert.Equal(first.Body["key_schema_id"]!.GetValue<int>(), (await registry.GetLatestSchemaAsync("rest-avro-key")).Id);

        var second = await rest.ProduceAsync("/topics/rest-avro", "avro", new
        {
            value_schema_id = valueSchemaId,
            records = new[] { new { value = new { item = "plum", quantity = 9, note = (object?)null } } },
        });
        Assert.Equal(valueSchemaId, second.Body!["value_schema_id"]!.GetValue<int>());

        using var consumer = new ConsumerBuilder<string?, GenericRecord>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "rest-avro-reader",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        })
            .SetKeyDeserializer(new AvroDeserializer<string?>(registry).AsSyncOverAsync())
            .SetValueDeserializer(new AvroDeserializer<GenericRecord>(registry).AsSyncOverAsync())
            .Build();
        consumer.Subscribe("rest-avro");
        var read = new List<(string?, string, int, object?)>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (read.Count < 3 && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { } result)
            {
                read.Add((result.Message.Key, (string)result.Message.Value["item"], (int)result.Message.Value["quantity"], result.Message.Value["note"]));
            }
        }

        Assert.Equal([("k1", "apple", 3, null), ("k2", "pear", 1, "ripe"), (null, "plum", 9, null)], read);
    }

    [Fact]
    public async Task BadRequests_GetConfluentsErrorCodes_AndWriteNothing()
    {
        await broker.CreateAsync("rest-bad", 2);
        using var rest = new RestClient(broker.RestUrl);
        const string schema = """{"type":"record","name":"Strict","fields":[{"name":"n","type":"int"}]}""";

        var malformed = await rest.SendAsync(HttpMethod.Post, "/topics/rest-bad", "{\"records\": [", "application/vnd.kafka.json.v2+json");
        Assert.Equal((400, 400), (malformed.Status, RestClient.ErrorCode(malformed)));
        var mismatch = await rest.ProduceAsync("/topics/rest-bad", "avro", new { value_schema = schema, records = new object[] { new { value = new { n = 1 } }, new { value = new { n = "one" } } } });
        Assert.Equal((422, 42203), (mismatch.Status, RestClient.ErrorCode(mismatch)));
        Assert.Equal(42202, RestClient.ErrorCode(await rest.ProduceAsync("/topics/rest-bad", "avro", new { records = new[] { new { value = new { n = 1 } } } })));
        Assert.Equal(42201, RestClient.ErrorCode(await rest.ProduceAsync("/topics/rest-bad", "avro", new { value_schema = schema, records = new[] { new { key = "k", value = new { n = 1 } } } })));
        Assert.Equal(42205, RestClient.ErrorCode(await rest.ProduceAsync("/topics/rest-bad", "avro", new { value_schema = "{\"type\":\"nope\"}", records = new[] { new { value = 1 } } })));
        Assert.Equal(40403, RestClient.ErrorCode(await rest.ProduceAsync("/topics/rest-bad", "avro", new { value_schema_id = 987654, records = new[] { new { value = 1 } } })));
        Assert.Equal(42206, RestClient.ErrorCode(await rest.ProduceAsync("/topics/rest-bad", "binary", new { records = new[] { new { value = "not base64!" } } })));
        Assert.Equal(40402, RestClient.ErrorCode(await rest.ProduceAsync("/topics/rest-bad/partitions/5", "json", new { records = new[] { new { value = 1 } } })));
        Assert.Equal(40402, RestClient.ErrorCode(await rest.ProduceAsync("/topics/rest-bad", "json", new { records = new object[] { new { value = 1 }, new { value = 2, partition = 9 } } })));
        var wrongType = await rest.SendAsync(HttpMethod.Post, "/topics/rest-bad", new { records = new[] { new { value = 1 } } }, "text/plain");
        Assert.Equal((415, 415), (wrongType.Status, RestClient.ErrorCode(wrongType)));
        Assert.Equal(42202, RestClient.ErrorCode(await rest.ProduceAsync("/topics/rest-bad", "protobuf", new { records = new[] { new { value = 1 } } })));

        foreach (var partition in new[] { 0, 1 })
        {
            Assert.Equal(0, (await rest.GetAsync($"/topics/rest-bad/partitions/{partition}/offsets")).Body!["end_offset"]!.GetValue<long>());
        }
    }

    [Fact]
    public async Task TopicsPartitionsAndBrokers_AreDescribed()
    {
        await broker.CreateAsync("rest-described", 2, new() { ["retention.ms"] = "3600000" });
        using var rest = new RestClient(broker.RestUrl);
        await rest.ProduceAsync("/topics/rest-described/partitions/1", "json", new { records = new[] { new { value = 1 }, new { value = 2 } } });

        Assert.Contains("rest-described", (await rest.GetAsync("/topics")).Body!.AsArray().Select(t => t!.GetValue<string>()));
        var topic = (await rest.GetAsync("/topics/rest-described")).Body!;
        Assert.Equal("3600000", topic["configs"]!["retention.ms"]!.GetValue<string>());
        Assert.Equal("delete", topic["configs"]!["cleanup.policy"]!.GetValue<string>());
        Assert.Equal([0, 1], topic["partitions"]!.AsArray().Select(p => p!["partition"]!.GetValue<int>()));
        Assert.Equal(1, (await rest.GetAsync("/topics/rest-described/partitions/1")).Body!["leader"]!.GetValue<int>());
        Assert.Equal(2, (await rest.GetAsync("/topics/rest-described/partitions")).Body!.AsArray().Count);
        var offsets = (await rest.GetAsync("/topics/rest-described/partitions/1/offsets")).Body!;
        Assert.Equal((0, 2), (offsets["beginning_offset"]!.GetValue<long>(), offsets["end_offset"]!.GetValue<long>()));
        Assert.Equal([1], (await rest.GetAsync("/brokers")).Body!["brokers"]!.AsArray().Select(b => b!.GetValue<int>()));
        Assert.Equal(40401, RestClient.ErrorCode(await rest.GetAsync("/topics/rest-missing")));
        Assert.Equal(40402, RestClient.ErrorCode(await rest.GetAsync("/topics/rest-described/partitions/7")));
    }
}

using System.Buffers.Binary;
using System.Text.Json;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.SchemaRegistry;

/// <summary>
/// Confluent's Protobuf serializer and deserializer (its JavaScript client, unmodified) against the embedded platform:
/// the serializer registers each file as a serialized descriptor, its import as a reference under the import's path;
/// records in Confluent's wire format (schema id, message indexes) go through a topic with Confluent.Kafka; the
/// deserializer reads the writer's schema back as a descriptor (<c>?format=serialized</c>). Evolutions are checked by
/// Protobuf's rules.
/// </summary>
public sealed class ProtobufSerdesTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private Task<JsonElement> RunAsync(string mode, string variant, string topic, IReadOnlyList<string>? records = null) =>
        ConfluentSchemaRegistryJs.RunAsync(ProtobufSerdesScript.Text, new Dictionary<string, string>
        {
            ["MODE"] = mode,
            ["VARIANT"] = variant,
            ["TOPIC"] = topic,
            ["REGISTRY"] = broker.RegistryUrl,
            ["RECORDS"] = JsonSerializer.Serialize(records ?? []),
        });

    private static List<string> Hex(JsonElement result) =>
        result.TryGetProperty("error", out var error)
            ? throw new InvalidOperationException(error.GetString())
            : result.GetProperty("records").EnumerateArray().Select(r => r.GetString()!).ToList();

    private async Task<List<string>> ThroughTopicAsync(string topic, List<string> records)
    {
        await SerdesTopics.ProduceAsync(broker.BootstrapServers, topic, records.Select(Convert.FromHexString), new ByteArraySerializer());
        return SerdesTopics.Consume(broker.BootstrapServers, topic, records.Count, Deserializers.ByteArray).Select(Convert.ToHexStringLower).ToList();
    }

    [Fact]
    public async Task Messages_AreSerializedWithTheirDescriptorRegistered_AndDeserializedFromTheRegistry()
    {
        const string topic = "protobuf-people";
        await broker.CreateAsync(topic, 1);

        var records = Hex(await RunAsync("serialize", "v1", topic));
        var consumed = await ThroughTopicAsync(topic, records);
        var values = (await RunAsync("deserialize", "v1", topic, consumed)).GetProperty("values").EnumerateArray().ToList();

        Assert.Equal(records, consumed);
        Assert.Equal(4, values.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("example.Person", values[i].GetProperty("type").GetString());
            Assert.Equal($"person-{i}", values[i].GetProperty("name").GetString());
            Assert.Equal($"{40 + i}", values[i].GetProperty("age").GetString());
            Assert.Equal($"city-{i}", values[i].GetProperty("city").GetString());
            Assert.Equal($"v{i}", values[i].GetProperty("tag").GetString());
            Assert.Equal(new DateTimeOffset(2000, 1, 1 + i, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds(), values[i].GetProperty("born").GetInt64());
        }

        Assert.Equal("inner", values[3].GetProperty("y").GetString());

        // The registry holds the import under its path and the file under the topic's subject, referring to it.
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = broker.RegistryUrl });
        var latest = await registry.GetLatestSchemaAsync($"{topic}-value");
        var imported = await registry.GetLatestSchemaAsync("example/address.proto");
        Assert.Equal(SchemaType.Protobuf, latest.SchemaType);
        Assert.Equal(SchemaType.Protobuf, imported.SchemaType);
        var reference = Assert.Single(latest.References);
        Assert.Equal(("example/address.proto", "example/address.proto", imported.Version), (reference.Name, reference.Subject, reference.Version));
        Assert.Contains("message Person {", latest.SchemaString, StringComparison.Ordinal);
        Assert.Contains("map<string, string> tags = 5", latest.SchemaString, StringComparison.Ordinal);

        // Confluent's wire format: magic byte, the schema id, then the message's place in the file (Person is the
        // second top-level message: [1]; Inner the first nested in it: [1, 0]), as zigzag varints.
        var first = Convert.FromHexString(records[0]);
        Assert.Equal(0, first[0]);
        Assert.Equal(latest.Id, BinaryPrimitives.ReadInt32BigEndian(first.AsSpan(1)));
        Assert.Equal([0x02, 0x02], first[5..7]);
        Assert.Equal([0x04, 0x02, 0x00], Convert.FromHexString(records[3])[5..8]);
    }

    [Fact]
    public async Task AnAddedField_IsAVersionAndIsRead_WhileAChangedKindIsRefused()
    {
        const string topic = "protobuf-evolving";
        await broker.CreateAsync(topic, 1);
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = broker.RegistryUrl });

        var v1 = Hex(await RunAsync("serialize", "v1", topic));
        var v2 = Hex(await RunAsync("serialize", "v2", topic));
        var bad = await RunAsync("serialize", "bad", topic);

        Assert.Equal([1, 2], await registry.GetSubjectVersionsAsync($"{topic}-value"));
        var refused = bad.GetProperty("error").GetString()!;
        Assert.Contains("FIELD_SCALAR_KIND_CHANGED", refused, StringComparison.Ordinal);
        Assert.Contains("'#/Person/2'", refused, StringComparison.Ordinal);

        var values = (await RunAsync("deserialize", "v1", topic, await ThroughTopicAsync(topic, [.. v1, .. v2]))).GetProperty("values").EnumerateArray().ToList();
        Assert.Equal(8, values.Count);
        Assert.Equal(JsonValueKind.Null, values[0].GetProperty("nickname").ValueKind);
        Assert.Equal("nick-0", values[4].GetProperty("nickname").GetString());
    }

    private sealed class ByteArraySerializer : IAsyncSerializer<byte[]>
    {
        public Task<byte[]> SerializeAsync(byte[] data, SerializationContext context) => Task.FromResult(data);
    }
}

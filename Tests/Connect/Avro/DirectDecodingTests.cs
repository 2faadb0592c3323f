using Tributary.Grains.Connect.Api.Data;
using Tributary.Tests.Connect.Avro.Support;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Tests.Connect.Avro;

/// <summary>
/// After the first record of a schema id, the converter reads records of that id straight into Connect structs where
/// the schema allows it. Every record must read as it does first, through Apache.Avro's generic reader: each record
/// here is read by a converter that has just read another record of its id, and by a fresh one, and the two compared.
/// </summary>
public sealed class DirectDecodingTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private static readonly ConnectSchema Everything = EverythingSchema.Schema;

    private static Struct EverythingValue(int n) => EverythingSchema.Value(n);

    [Fact]
    public void RecordsOfPrimitivesLogicalTypesOptionalsAndNestedRecords_ReadAsTheGenericReaderReadsThem()
    {
        using var writer = registry.Converter();
        var records = Enumerable.Range(0, 40).Select(n => writer.FromConnectData("direct-everything", Everything, EverythingValue(n))!).ToArray();

        using var reader = registry.Converter();
        for (var n = 0; n < records.Length; n++)
        {
            var read = reader.ToConnectData("direct-everything", records[n]);
            Assert.True(reader.ReadsLastIdDirectly);
            using var fresh = registry.Converter();
            Assert.Equal(fresh.ToConnectData("direct-everything", records[n]), read);
            var value = (Struct)read.Value!;
            var expected = EverythingValue(n);
            foreach (var field in Everything.Fields.Where(f => f.Name != "address"))
            {
                Assert.True(ConnectValues.AreEqual(expected.Get(field.Name), value.Get(field.Name)), $"record {n}, field {field.Name}");
            }

            Assert.Equal(n % 2 == 1 ? null : "Main " + n, ((Struct?)value.Get("address"))?.Get("street"));
        }
    }

    [Fact]
    public async Task AUnionWithNullSecond_AndSchemasWithoutADirectForm_ReadAsTheGenericReaderReadsThem()
    {
        using var client = registry.Client();
        var schemas = new[]
        {
            // null second in the union, and a default: Avro from elsewhere than Connect.
            """{"type":"record","name":"NullSecond","fields":[{"name":"a","type":["string","null"],"default":"x"},{"name":"n","type":"long"}]}""",
            // an enum, an array and a map: read by the generic path.
            """{"type":"record","name":"Complex","fields":[{"name":"e","type":{"type":"enum","name":"Color","symbols":["RED","GREEN"]}},""" +
            """{"name":"list","type":{"type":"array","items":"int"}},{"name":"m","type":{"type":"map","values":"string"}}]}""",
        };
        var payloads = new[]
        {
            // "hi" and 66; null and -67; "" and 4 (lengths and longs are zig-zag varints)
            new[] { new byte[] { 0, 4, (byte)'h', (byte)'i', 0x84, 0x01 }, [2, 0x85, 0x01], [0, 0, 8] },
            // GREEN, [2, 3, 0], {k: v}; RED, [], {}
            new[] { new byte[] { 2, 6, 4, 6, 0, 0, 2, 2, (byte)'k', 2, (byte)'v', 0 }, [0, 0, 0] },
        };
        for (var s = 0; s < schemas.Length; s++)
        {
            var subject = $"direct-raw-{s}-value";
            var id = await client.RegisterSchemaAsync(subject, new Confluent.SchemaRegistry.Schema(schemas[s], Confluent.SchemaRegistry.SchemaType.Avro));
            using var reader = registry.Converter();
            foreach (var payload in payloads[s])
            {
                var record = WireFormat(id, payload);
                using var fresh = registry.Converter();
                Assert.Equal(fresh.ToConnectData($"direct-raw-{s}", record), reader.ToConnectData($"direct-raw-{s}", record));
                Assert.Equal(s == 0, reader.ReadsLastIdDirectly); // the enum, array and map have no direct form
            }
        }
    }

    [Theory]
    [InlineData(new byte[] { 0x80 })] // a varint that never ends
    [InlineData(new byte[] { 2 })] // the union's string, without its length
    [InlineData(new byte[] { 2, 20, (byte)'a' })] // a string longer than the record
    [InlineData(new byte[] { 4, 0 })] // a union index out of range
    public async Task AMalformedRecord_AfterAGoodOne_IsRefusedAsTheGenericReaderRefusesIt(byte[] payload)
    {
        using var client = registry.Client();
        var id = await client.RegisterSchemaAsync("direct-malformed-value", new Confluent.SchemaRegistry.Schema(
            """{"type":"record","name":"Malformed","fields":[{"name":"a","type":["null","string"]}]}""", Confluent.SchemaRegistry.SchemaType.Avro));
        using var reader = registry.Converter();
        reader.ToConnectData("direct-malformed", WireFormat(id, [2, 2, (byte)'o']));

        var error = Assert.Throws<DataException>(() => reader.ToConnectData("direct-malformed", WireFormat(id, payload)));
        using var fresh = registry.Converter();
        var generic = Assert.Throws<DataException>(() => fresh.ToConnectData("direct-malformed", WireFormat(id, payload)));
        Assert.StartsWith("Failed to deserialize data for topic direct-malformed to Avro:", error.Message);
        Assert.StartsWith("Failed to deserialize data for topic direct-malformed to Avro:", generic.Message);
    }

    [Fact]
    public async Task ADateConnectCannotHold_AfterAGoodRecord_FailsAsTheGenericPathFails()
    {
        using var client = registry.Client();
        var id = await client.RegisterSchemaAsync("direct-far-date-value", new Confluent.SchemaRegistry.Schema(
            """{"type":"record","name":"FarDate","fields":[{"name":"d","type":{"type":"int","logicalType":"date"}}]}""", Confluent.SchemaRegistry.SchemaType.Avro));
        using var reader = registry.Converter();
        reader.ToConnectData("direct-far-date", WireFormat(id, [2]));
        Assert.True(reader.ReadsLastIdDirectly);
        byte[] farDate = [0xFE, 0xFF, 0xFF, 0xFF, 0x0F]; // int.MaxValue days

        var direct = Record.Exception(() => reader.ToConnectData("direct-far-date", WireFormat(id, farDate)));
        using var fresh = registry.Converter();
        var generic = Record.Exception(() => fresh.ToConnectData("direct-far-date", WireFormat(id, farDate)));

        Assert.NotNull(generic);
        Assert.Equal(generic.GetType(), direct?.GetType());
        Assert.Equal(generic.Message, direct!.Message);
    }

    private static byte[] WireFormat(int id, byte[] payload)
    {
        var record = new byte[5 + payload.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(record.AsSpan(1), id);
        payload.CopyTo(record.AsSpan(5));
        return record;
    }
}

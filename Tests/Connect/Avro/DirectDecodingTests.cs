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
    private static readonly ConnectSchema Address = SchemaBuilder.Struct().WithName("com.example.Address")
        .Field("street", ConnectSchema.String).Field("zip", ConnectSchema.OptionalInt32).Optional().Build();

    private static readonly ConnectSchema Everything = SchemaBuilder.Struct().WithName("com.example.Everything")
        .Field("b", ConnectSchema.Boolean).Field("i8", ConnectSchema.Int8).Field("i16", ConnectSchema.Int16)
        .Field("i32", ConnectSchema.Int32).Field("i64", ConnectSchema.Int64).Field("f32", ConnectSchema.Float32)
        .Field("f64", ConnectSchema.Float64).Field("s", ConnectSchema.String).Field("bytes", ConnectSchema.Bytes)
        .Field("os", ConnectSchema.OptionalString).Field("oi64", ConnectSchema.OptionalInt64).Field("obytes", ConnectSchema.OptionalBytes)
        .Field("amount", LogicalTypes.Decimal(3).Build()).Field("oamount", LogicalTypes.Decimal(1).Optional().Build())
        .Field("day", LogicalTypes.Date().Build()).Field("time", LogicalTypes.Time().Build())
        .Field("at", LogicalTypes.Timestamp().Build()).Field("oat", LogicalTypes.Timestamp().Optional().Build())
        .Field("address", Address)
        .Build();

    private static Struct EverythingValue(int n) => new Struct(Everything)
        .Put("b", n % 2 == 0).Put("i8", (sbyte)(n - 100)).Put("i16", (short)(n * 300 - 20000)).Put("i32", n * -7919)
        .Put("i64", long.MinValue + n).Put("f32", n / 7f).Put("f64", n * Math.PI).Put("s", $"s-{n}-ünïcode")
        .Put("bytes", new[] { (byte)n, (byte)255, (byte)0 })
        .Put("os", n % 3 == 0 ? null : "o" + n).Put("oi64", n % 4 == 0 ? null : (long)n << 40).Put("obytes", n % 5 == 0 ? null : new byte[n % 7])
        .Put("amount", n * 1.001m - 50m).Put("oamount", n % 2 == 0 ? null : n / 10m)
        .Put("day", DateTime.UnixEpoch.AddDays(n * 37)).Put("time", DateTime.UnixEpoch.AddMilliseconds(n * 12_345 % 86_400_000))
        .Put("at", DateTime.UnixEpoch.AddMilliseconds(1_700_000_000_000L + n)).Put("oat", n % 3 == 1 ? null : DateTime.UnixEpoch.AddMilliseconds(n))
        .Put("address", n % 2 == 1 ? null : new Struct(Address).Put("street", "Main " + n).Put("zip", n % 4 == 0 ? null : n));

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

    private static byte[] WireFormat(int id, byte[] payload)
    {
        var record = new byte[5 + payload.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(record.AsSpan(1), id);
        payload.CopyTo(record.AsSpan(5));
        return record;
    }
}

using Tributary.Grains.Connect.Api.Data;
using static Tributary.Tests.Connect.Converters.Json.JsonConverterFixture;

namespace Tributary.Tests.Connect.Converters.Json;

/// <summary>Every type written and read back returns the same schema and value.</summary>
public sealed class JsonConverterRoundTripTests
{
    public static TheoryData<string, Schema, object?> EveryType()
    {
        var address = SchemaBuilder.Struct().WithName("com.example.Address").WithVersion(2).WithDoc("where")
            .Field("street", Schema.String).Field("zip", Schema.OptionalInt32).Build();
        var person = SchemaBuilder.Struct().WithName("com.example.Person")
            .Field("name", Schema.String)
            .Field("age", Schema.Int8)
            .Field("height", Schema.Float32)
            .Field("balance", LogicalTypes.Decimal(2).Build())
            .Field("born", LogicalTypes.DateSchema)
            .Field("wakes", LogicalTypes.TimeSchema)
            .Field("seen", LogicalTypes.TimestampSchema)
            .Field("photo", Schema.OptionalBytes)
            .Field("addresses", SchemaBuilder.Array(address).Build())
            .Field("scores", SchemaBuilder.Map(Schema.String, Schema.Float64).Build())
            .Field("byDay", SchemaBuilder.Map(LogicalTypes.DateSchema, SchemaBuilder.Array(Schema.Int16).Build()).Build())
            .Field("nickname", SchemaBuilder.String().Optional().DefaultValue("none").Build())
            .Build();
        var value = new Struct(person)
            .Put("name", "Ada \"Countess\" Lovelace ✓")
            .Put("age", (sbyte)36)
            .Put("height", 1.65f)
            .Put("balance", -1234.56m)
            .Put("born", new DateTime(1815, 12, 10, 0, 0, 0, DateTimeKind.Utc))
            .Put("wakes", DateTime.UnixEpoch.AddHours(6.5))
            .Put("seen", new DateTime(2024, 10, 25, 3, 33, 1, 123, DateTimeKind.Utc))
            .Put("photo", new byte[] { 0, 1, 254, 255 })
            .Put("addresses", new List<object?> { new Struct(address).Put("street", "St James's Square"), new Struct(address).Put("street", "x").Put("zip", 12345) })
            .Put("scores", new Dictionary<object, object?> { ["math"] = 99.5, ["poetry"] = double.MaxValue })
            .Put("byDay", new Dictionary<object, object?> { [DateTime.UnixEpoch.AddDays(1)] = new List<object?> { (short)1, (short)-2 } })
            .Put("nickname", "Enchantress of Numbers");

        return new TheoryData<string, Schema, object?>
        {
            { "boolean", Schema.Boolean, false },
            { "int8", Schema.Int8, sbyte.MinValue },
            { "int16", Schema.Int16, short.MaxValue },
            { "int32", Schema.Int32, int.MinValue },
            { "int64", Schema.Int64, long.MaxValue },
            { "float32", Schema.Float32, 3.4028235E38f },
            { "float64", Schema.Float64, 0.1 + 0.2 },
            { "tiny float64", Schema.Float64, 4.9E-324 },
            { "NaN float64", Schema.Float64, double.NaN },
            { "infinite float32", Schema.Float32, float.NegativeInfinity },
            { "string", Schema.String, "é😀\u0000\"\\" },
            { "bytes", Schema.Bytes, new byte[] { 1, 2, 3 } },
            { "empty bytes", Schema.Bytes, Array.Empty<byte>() },
            { "optional null", Schema.OptionalInt64, null },
            { "decimal", LogicalTypes.Decimal(5).Build(), 12345.67891m },
            { "negative decimal", LogicalTypes.Decimal(0).Build(), -128m },
            { "date", LogicalTypes.DateSchema, new DateTime(2019, 8, 23, 0, 0, 0, DateTimeKind.Utc) },
            { "time", LogicalTypes.TimeSchema, DateTime.UnixEpoch.AddMilliseconds(52494346) },
            { "timestamp", LogicalTypes.TimestampSchema, new DateTime(1969, 7, 20, 20, 17, 40, DateTimeKind.Utc) },
            { "array of optional", SchemaBuilder.Array(Schema.OptionalString).Build(), new List<object?> { "a", null } },
            { "nested arrays", SchemaBuilder.Array(SchemaBuilder.Array(Schema.Int32).Build()).Build(), new List<object?> { new List<object?> { 1 }, new List<object?>() } },
            { "map of maps", SchemaBuilder.Map(Schema.Int64, SchemaBuilder.Map(Schema.String, Schema.Boolean).Build()).Build(), new Dictionary<object, object?> { [1L] = new Dictionary<object, object?> { ["t"] = true } } },
            { "struct", person, value },
        };
    }

    [Theory]
    [MemberData(nameof(EveryType))]
    public void RoundTrip_WithSchemasEnabled_ReturnsTheSameSchemaAndValue(string name, Schema schema, object? value)
    {
        Assert.NotNull(name);
        var converter = Converter();

        var read = converter.ToConnectData(Topic, converter.FromConnectData(Topic, schema, value));

        ConnectAssert.Equal(new SchemaAndValue(schema, value), read);
    }

    [Theory]
    [MemberData(nameof(EveryType))]
    public void RoundTrip_WithNumericDecimals_ReturnsTheSameSchemaAndValue(string name, Schema schema, object? value)
    {
        Assert.NotNull(name);
        var converter = Converter(("decimal.format", "NUMERIC"));

        var read = converter.ToConnectData(Topic, converter.FromConnectData(Topic, schema, value));

        ConnectAssert.Equal(new SchemaAndValue(schema, value), read);
    }

    [Fact]
    public void RoundTrip_OfKafkasOwnBytes_ReproducesThemExactly()
    {
        const string kafka = """{"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"registertime"},{"type":"string","optional":false,"field":"userid"},{"type":"string","optional":false,"field":"regionid"},{"type":"string","optional":false,"field":"gender"}],"optional":false,"name":"ksql.users"},"payload":{"registertime":1493819497170,"userid":"User_1","regionid":"Region_5","gender":"MALE"}}""";
        var converter = Converter();

        var read = converter.ToConnectData(Topic, Bytes(kafka));

        Assert.Equal(kafka, AsText(converter.FromConnectData(Topic, read.Schema, read.Value)));
    }

    [Fact]
    public void RoundTrip_SchemalessNestedData_ComesBackAsInt64DoubleListsAndMaps()
    {
        var converter = Schemaless();
        var written = converter.FromConnectData(Topic, null, new Dictionary<object, object?>
        {
            ["a"] = new List<object?> { 1, 2.5f, "x", null, new Dictionary<object, object?> { ["b"] = true } },
        });

        var read = converter.ToConnectData(Topic, written);

        Assert.Equal("""{"a":[1,2.5,"x",null,{"b":true}]}""", AsText(written));
        ConnectAssert.Equal(
            new SchemaAndValue(null, new Dictionary<object, object?>
            {
                ["a"] = new List<object?> { 1L, 2.5, "x", null, new Dictionary<object, object?> { ["b"] = true } },
            }),
            read);
    }
}

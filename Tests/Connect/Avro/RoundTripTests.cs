using System.Buffers.Binary;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Tests.Connect.Avro.Support;

namespace Tributary.Tests.Connect.Avro;

/// <summary>Connect data written by the converter into the platform's registry and read back equal.</summary>
public sealed class RoundTripTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private SchemaAndValue RoundTrip(string topic, Schema schema, object? value, bool isKey = false)
    {
        using var converter = registry.Converter(isKey);
        var bytes = converter.FromConnectData(topic, schema, value);
        Assert.NotNull(bytes);
        Assert.Equal(0, bytes[0]);
        return converter.ToConnectData(topic, bytes);
    }

    public static TheoryData<string, Schema, object> Primitives => new()
    {
        { "int8", Schema.Int8, (sbyte)-7 },
        { "int16", Schema.Int16, (short)30000 },
        { "int32", Schema.Int32, int.MinValue },
        { "int64", Schema.Int64, long.MaxValue },
        { "float32", Schema.Float32, 1.25f },
        { "float64", Schema.Float64, -2.5e300 },
        { "boolean", Schema.Boolean, true },
        { "string", Schema.String, "héllo wörld" },
        { "bytes", Schema.Bytes, new byte[] { 0, 1, 255 } },
    };

    [Theory]
    [MemberData(nameof(Primitives))]
    public void Primitives_RoundTrip(string name, Schema schema, object value)
    {
        var read = RoundTrip("prim-" + name, schema, value);

        // The registry's version of the schema becomes the Connect version, as Confluent's converter sets it.
        Assert.Equal(SchemaBuilder.CopyOf(schema).WithVersion(1).Build(), read.Schema);
        Assert.True(ConnectValues.AreEqual(value, read.Value));
    }

    [Fact]
    public void TopLevelBytes_AreWrittenRaw_AsConfluentWritesThem()
    {
        using var converter = registry.Converter();

        var bytes = converter.FromConnectData("raw-bytes", Schema.Bytes, new byte[] { 9, 8, 7 })!;

        Assert.Equal(new byte[] { 9, 8, 7 }, bytes[5..]);
    }

    [Fact]
    public void Struct_WithEveryKindOfField_RoundTrips()
    {
        var address = SchemaBuilder.Struct().WithName("com.example.Address").Field("street", Schema.String).Field("zip", Schema.OptionalInt32).Build();
        var schema = SchemaBuilder.Struct().WithName("com.example.Person").WithDoc("a person").WithVersion(1)
            .Field("name", SchemaBuilder.String().WithDoc("full name").Build())
            .Field("nick", Schema.OptionalString)
            .Field("age", Schema.Int8)
            .Field("height", Schema.Int16)
            .Field("address", address)
            .Field("previous", SchemaBuilder.Array(address).Build())
            .Field("tags", SchemaBuilder.Array(Schema.String).Optional().Build())
            .Field("labels", SchemaBuilder.Map(Schema.String, Schema.Int64).Build())
            .Field("scores", SchemaBuilder.Map(Schema.Int32, Schema.OptionalFloat64).Build())
            .Field("balance", LogicalTypes.Decimal(2).Build())
            .Field("born", LogicalTypes.DateSchema)
            .Field("wakes", LogicalTypes.TimeSchema)
            .Field("seen", LogicalTypes.TimestampSchema)
            .Field("photo", Schema.OptionalBytes)
            .Build();
        var home = new Struct(address).Put("street", "Main St").Put("zip", 12345);
        var old = new Struct(address).Put("street", "Old Rd");
        var value = new Struct(schema)
            .Put("name", "Ada")
            .Put("age", (sbyte)36)
            .Put("height", (short)170)
            .Put("address", home)
            .Put("previous", new List<object?> { old, home })
            .Put("labels", new Dictionary<object, object?> { ["a"] = 1L, ["b"] = -2L })
            .Put("scores", new Dictionary<object, object?> { [1] = 0.5, [2] = null })
            .Put("balance", -1234.56m)
            .Put("born", new DateTime(1815, 12, 10, 0, 0, 0, DateTimeKind.Utc))
            .Put("wakes", DateTime.UnixEpoch.AddHours(7.5))
            .Put("seen", new DateTime(2024, 5, 6, 7, 8, 9, 123, DateTimeKind.Utc))
            .Put("photo", new byte[] { 1, 2 });

        var read = RoundTrip("people", schema, value);

        Assert.Equal(schema, read.Schema);
        Assert.Equal(value, read.Value);
    }

    [Fact]
    public void OptionalFields_LeftUnset_ReadAsNull()
    {
        var schema = SchemaBuilder.Struct().WithName("Opt").WithVersion(1)
            .Field("a", Schema.OptionalInt64)
            .Field("b", SchemaBuilder.Struct().WithName("Inner").Field("x", Schema.Int32).Optional().Build())
            .Field("c", SchemaBuilder.Map(Schema.Int16, Schema.String).Optional().Build())
            .Build();

        var read = RoundTrip("optional", schema, new Struct(schema));

        var value = Assert.IsType<Struct>(read.Value);
        Assert.Null(value.Get("a"));
        Assert.Null(value.Get("b"));
        Assert.Null(value.Get("c"));
        Assert.Equal(schema, read.Schema);
    }

    [Fact]
    public void Defaults_FillUnsetFields_AndSurviveTheRoundTrip()
    {
        var schema = SchemaBuilder.Struct().WithName("Def").WithVersion(1)
            .Field("n", SchemaBuilder.Int32().DefaultValue(42).Build())
            .Field("s", SchemaBuilder.String().Optional().DefaultValue("dflt").Build())
            .Build();

        var read = RoundTrip("defaults", schema, new Struct(schema));

        var value = Assert.IsType<Struct>(read.Value);
        Assert.Equal(42, value.Get("n"));
        Assert.Equal("dflt", value.Get("s"));
        Assert.Equal(schema, read.Schema);
    }

    [Fact]
    public void UnnamedStruct_ReadsBackUnnamed()
    {
        var schema = SchemaBuilder.Struct().Field("x", Schema.Int32).Build();

        var read = RoundTrip("unnamed", schema, new Struct(schema).Put("x", 1));

        Assert.Null(read.Schema!.Name);
        Assert.Equal(1, ((Struct)read.Value!).Get("x"));
    }

    [Fact]
    public async Task Keys_AreRegisteredUnderTheKeySubject_AndRoundTrip()
    {
        var read = RoundTrip("keyed", Schema.String, "key-1", isKey: true);

        Assert.Equal("key-1", read.Value);
        using var client = registry.Client();
        Assert.Contains("keyed-key", await client.GetAllSubjectsAsync());
    }

    [Fact]
    public void Nulls_AreTombstones_BothWays()
    {
        using var converter = registry.Converter();

        Assert.Null(converter.FromConnectData("nulls", null, null));
        Assert.Null(converter.FromConnectData("nulls", Schema.OptionalString, null));
        Assert.Equal(SchemaAndValue.Null, converter.ToConnectData("nulls", null));
    }

    [Fact]
    public async Task RegistryVersion_IsTheSchemaVersion_WhenConnectGaveNone()
    {
        var schema = SchemaBuilder.Struct().WithName("Versioned").Field("x", Schema.Int32).Build();
        using var converter = registry.Converter();

        var bytes = converter.FromConnectData("versioned", schema, new Struct(schema).Put("x", 1))!;
        var read = converter.ToConnectData("versioned", bytes);

        Assert.Equal(1, read.Schema!.Version);
        Assert.Equal(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1)), await RegisteredIdAsync("versioned-value"));
    }

    [Fact]
    public void EachSchema_IsConvertedAndRegisteredOnce()
    {
        var schema = SchemaBuilder.Struct().WithName("Cached").Field("x", Schema.Int32).Build();
        using var converter = registry.Converter();

        for (var i = 0; i < 100; i++)
        {
            converter.FromConnectData("cached", schema, new Struct(schema).Put("x", i));
        }

        Assert.Equal(1, converter.CachedSchemas);
    }

    private async Task<int> RegisteredIdAsync(string subject)
    {
        using var client = registry.Client();
        return (await client.GetLatestSchemaAsync(subject)).Id;
    }
}

using Tributary.Grains.Connect.Api.Data;
using Tributary.Tests.Connect.Avro.Support;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Tests.Connect.Avro;

/// <summary>
/// After the first record of a schema written to a topic, the converter encodes values of that schema straight from
/// Connect structs where the schema allows it. Every record must be the bytes Apache.Avro's generic writer gives, as
/// a fresh converter writes its first record, and refused with the same errors.
/// </summary>
public sealed class DirectEncodingTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    [Fact]
    public void RecordsOfPrimitivesLogicalTypesOptionalsAndNestedRecords_AreTheGenericWritersBytes()
    {
        using var writer = registry.Converter();
        writer.FromConnectData("direct-write", EverythingSchema.Schema, EverythingSchema.Value(1000));
        Assert.True(writer.WritesLastSchemaDirectly);

        for (var n = 0; n < 40; n++)
        {
            var value = EverythingSchema.Value(n);
            using var fresh = registry.Converter();
            Assert.Equal(fresh.FromConnectData("direct-write", EverythingSchema.Schema, value), writer.FromConnectData("direct-write", EverythingSchema.Schema, value));
        }
    }

    [Fact]
    public void ALongStringOutgrowingTheStackBuffer_IsEncodedWhole()
    {
        var schema = SchemaBuilder.Struct().WithName("com.example.Long").Field("text", ConnectSchema.String).Field("n", ConnectSchema.Int64).Build();
        using var writer = registry.Converter();
        writer.FromConnectData("direct-long", schema, new Struct(schema).Put("text", "").Put("n", 0L));

        var value = new Struct(schema).Put("text", string.Concat(Enumerable.Repeat("ü€x", 3000))).Put("n", long.MaxValue);
        var bytes = writer.FromConnectData("direct-long", schema, value)!;

        using var fresh = registry.Converter();
        Assert.Equal(fresh.FromConnectData("direct-long", schema, value), bytes);
        Assert.Equal(value, writer.ToConnectData("direct-long", bytes).Value is Struct read ? new Struct(schema).Put("text", read.Get("text")).Put("n", read.Get("n")) : null);
    }

    [Fact]
    public void AValueThatIsNotAStruct_OrAStructOfAnotherSchema_IsRefusedAsTheGenericWriterRefusesIt()
    {
        var other = SchemaBuilder.Struct().WithName("com.example.Everything").Field("b", ConnectSchema.Boolean).Build();
        foreach (var bad in new object[] { "not a struct", new Struct(other).Put("b", true) })
        {
            using var writer = registry.Converter();
            writer.FromConnectData("direct-refused", EverythingSchema.Schema, EverythingSchema.Value(1));
            using var fresh = registry.Converter();

            var direct = Assert.Throws<DataException>(() => writer.FromConnectData("direct-refused", EverythingSchema.Schema, bad));
            var generic = Assert.Throws<DataException>(() => fresh.FromConnectData("direct-refused", EverythingSchema.Schema, bad));
            Assert.Equal(generic.Message, direct.Message);
        }
    }

    [Fact]
    public void ANullValue_IsNoBytes_ForAnOptionalSchema_AndRefusedForARequiredOne()
    {
        var optional = SchemaBuilder.Struct().WithName("com.example.Maybe").Field("n", ConnectSchema.Int32).Optional().Build();
        using var writer = registry.Converter();
        writer.FromConnectData("direct-null", optional, new Struct(optional).Put("n", 1));

        Assert.Null(writer.FromConnectData("direct-null", optional, null));

        writer.FromConnectData("direct-null-required", EverythingSchema.Schema, EverythingSchema.Value(1));
        Assert.Equal("Found null value for non-optional schema",
            Assert.Throws<DataException>(() => writer.FromConnectData("direct-null-required", EverythingSchema.Schema, null)).Message);
    }
}

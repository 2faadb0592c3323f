using Avro.Generic;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Tests.Connect.Avro.Support;
using EnumSchema = Avro.EnumSchema;
using RecordSchema = Avro.RecordSchema;
using Schema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Tests.Connect.Avro;

/// <summary>
/// The converter against Confluent's own .NET Avro serializer and deserializer, the independent implementation of the
/// wire format: what each writes, the other reads, field by field.
/// </summary>
public sealed class ConfluentInteropTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private const string PaymentSchema = """
        {"type":"record","name":"Payment","namespace":"com.example","doc":"A payment",
         "fields":[
           {"name":"id","type":"string"},
           {"name":"amount","type":"double"},
           {"name":"count","type":"int","default":1},
           {"name":"note","type":["null","string"],"default":null},
           {"name":"kind","type":{"type":"enum","name":"Kind","symbols":["CARD","CASH"]}},
           {"name":"lines","type":{"type":"array","items":"long"}},
           {"name":"attrs","type":{"type":"map","values":"string"}},
           {"name":"price","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}},
           {"name":"day","type":{"type":"int","logicalType":"date"}},
           {"name":"at","type":{"type":"long","logicalType":"timestamp-millis"}},
           {"name":"either","type":["null","int","string"],"default":null}]}
        """;

    [Fact]
    public async Task WhatConfluentsSerializerWrites_TheConverterReads()
    {
        var avroSchema = (RecordSchema)global::Avro.Schema.Parse(PaymentSchema);
        var record = new GenericRecord(avroSchema);
        record.Add("id", "p-1");
        record.Add("amount", 12.5);
        record.Add("count", 3);
        record.Add("note", null);
        record.Add("kind", new GenericEnum((EnumSchema)avroSchema["kind"].Schema, "CASH"));
        record.Add("lines", new object[] { 1L, 2L });
        record.Add("attrs", new Dictionary<string, object> { ["a"] = "b" });
        record.Add("price", new global::Avro.AvroDecimal(12345, 2));
        record.Add("day", new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc));
        record.Add("at", new DateTime(2024, 1, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        record.Add("either", "text");
        using var client = registry.Client();
        var bytes = await new AvroSerializer<GenericRecord>(client).SerializeAsync(record, new SerializationContext(MessageComponentType.Value, "payments"));

        using var converter = registry.Converter();
        var read = converter.ToConnectData("payments", bytes);

        var schema = read.Schema!;
        Assert.Equal("com.example.Payment", schema.Name);
        Assert.Equal(1, schema.Version);
        Assert.Equal("A payment", schema.Parameters!["io.confluent.connect.avro.record.doc"]);
        var value = Assert.IsType<Struct>(read.Value);
        Assert.Equal("p-1", value.Get("id"));
        Assert.Equal(12.5, value.Get("amount"));
        Assert.Equal(3, value.Get("count"));
        Assert.Equal(1, schema.Field("count")!.Schema.DefaultValue);
        Assert.Null(value.Get("note"));
        Assert.True(schema.Field("note")!.Schema.IsOptional);
        Assert.Equal("CASH", value.Get("kind"));
        Assert.Equal([1L, 2L], ((IList<object?>)value.Get("lines")!).Cast<long>());
        Assert.Equal("b", ((IDictionary<object, object?>)value.Get("attrs")!)["a"]);
        Assert.Equal(123.45m, value.Get("price"));
        Assert.Equal("10", schema.Field("price")!.Schema.Parameters!["connect.decimal.precision"]);
        Assert.Equal(new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc), value.Get("day"));
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, 6, DateTimeKind.Utc), value.Get("at"));
        var either = Assert.IsType<Struct>(value.Get("either"));
        Assert.Equal("text", either.Get("string"));
        Assert.Null(either.Get("int"));
    }

    [Fact]
    public async Task WhatTheConverterWrites_ConfluentsDeserializerReads()
    {
        var inner = SchemaBuilder.Struct().WithName("com.example.Item").Field("sku", Schema.String).Field("qty", Schema.Int16).Build();
        var schema = SchemaBuilder.Struct().WithName("com.example.Order").WithDoc("an order")
            .Field("id", Schema.Int64)
            .Field("note", Schema.OptionalString)
            .Field("item", inner)
            .Field("items", SchemaBuilder.Array(inner).Build())
            .Field("totals", SchemaBuilder.Map(Schema.String, Schema.Float64).Build())
            .Field("byId", SchemaBuilder.Map(Schema.Int32, Schema.String).Build())
            .Field("price", LogicalTypes.Decimal(3).Build())
            .Field("day", LogicalTypes.DateSchema)
            .Field("at", LogicalTypes.TimestampSchema)
            .Field("raw", Schema.Bytes)
            .Build();
        var item = new Struct(inner).Put("sku", "A-1").Put("qty", (short)2);
        var value = new Struct(schema)
            .Put("id", 99L)
            .Put("item", item)
            .Put("items", new List<object?> { item })
            .Put("totals", new Dictionary<object, object?> { ["net"] = 1.5 })
            .Put("byId", new Dictionary<object, object?> { [7] = "seven" })
            .Put("price", 9.875m)
            .Put("day", new DateTime(2020, 2, 29, 0, 0, 0, DateTimeKind.Utc))
            .Put("at", new DateTime(2020, 2, 29, 12, 0, 0, 250, DateTimeKind.Utc))
            .Put("raw", new byte[] { 4, 5 });
        using var converter = registry.Converter();
        var bytes = converter.FromConnectData("orders", schema, value)!;

        using var client = registry.Client();
        var record = await new AvroDeserializer<GenericRecord>(client).DeserializeAsync(bytes, false, new SerializationContext(MessageComponentType.Value, "orders"));

        Assert.Equal("com.example.Order", record.Schema.Fullname);
        Assert.Equal(99L, record["id"]);
        Assert.Null(record["note"]);
        var readItem = (GenericRecord)record["item"];
        Assert.Equal("A-1", readItem["sku"]);
        Assert.Equal(2, readItem["qty"]);
        Assert.Equal("A-1", ((GenericRecord)((object[])record["items"])[0])["sku"]);
        Assert.Equal(1.5, ((IDictionary<string, object>)record["totals"])["net"]);
        var entry = (GenericRecord)((object[])record["byId"])[0];
        Assert.Equal(7, entry["key"]);
        Assert.Equal("seven", entry["value"]);
        Assert.Equal(new global::Avro.AvroDecimal(9875, 3), record["price"]);
        Assert.Equal(new DateTime(2020, 2, 29, 0, 0, 0, DateTimeKind.Utc), record["day"]);
        Assert.Equal(new DateTime(2020, 2, 29, 12, 0, 0, 250, DateTimeKind.Utc), record["at"]);
        Assert.Equal(new byte[] { 4, 5 }, record["raw"]);
    }

    [Fact]
    public async Task ConfluentsSerializer_AndTheConverter_RegisterTheSameSchemaUnderTheSameId()
    {
        var schema = SchemaBuilder.Struct().WithName("com.example.Same").Field("x", Schema.Int32).Build();
        using var converter = registry.Converter();
        var ours = converter.FromConnectData("same", schema, new Struct(schema).Put("x", 1))!;

        var avroSchema = (RecordSchema)global::Avro.Schema.Parse(
            """{"type":"record","name":"Same","namespace":"com.example","fields":[{"name":"x","type":"int"}],"connect.name":"com.example.Same"}""");
        var record = new GenericRecord(avroSchema);
        record.Add("x", 1);
        using var client = registry.Client();
        var theirs = await new AvroSerializer<GenericRecord>(client).SerializeAsync(record, new SerializationContext(MessageComponentType.Value, "same"));

        Assert.Equal(ours[..5], theirs[..5]);
        Assert.Equal(ours, theirs);
    }
}

using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Avro.Data;
using Tributary.Grains.Connect.Avro.Schemas;

namespace Tributary.Tests.Connect.Avro;

/// <summary>
/// Connect schemas as the Avro schema text Confluent's AvroData writes for them (the exact JSON Java's Avro prints),
/// and back; no registry needed.
/// </summary>
public sealed class SchemaMappingTests
{
    private static string ToAvro(Schema schema, AvroDataConfig? config = null) =>
        AvroSchemaWriter.Write(new ConnectToAvroSchema(config ?? AvroDataConfig.Defaults).Convert(schema));

    private static Schema ToConnect(string json, int? version = null, AvroDataConfig? config = null) =>
        new AvroToConnectSchema(config ?? AvroDataConfig.Defaults).Convert(AvroSchemaParser.Parse(json), version);

    [Fact]
    public void NamedStruct_IsARecordInItsNamespace_WithConfluentsMetadata()
    {
        var schema = SchemaBuilder.Struct().WithName("com.example.Order")
            .Field("id", Schema.Int64)
            .Field("note", Schema.OptionalString)
            .Field("small", Schema.Int16)
            .Field("tiny", Schema.Int8)
            .Field("price", LogicalTypes.Decimal(2).Build())
            .Field("day", LogicalTypes.DateSchema)
            .Field("at", LogicalTypes.TimeSchema)
            .Field("ts", LogicalTypes.TimestampSchema)
            .Build();

        Assert.Equal(
            """{"type":"record","name":"Order","namespace":"com.example","fields":[""" +
            """{"name":"id","type":"long"},""" +
            """{"name":"note","type":["null","string"],"default":null},""" +
            """{"name":"small","type":{"type":"int","connect.type":"int16"}},""" +
            """{"name":"tiny","type":{"type":"int","connect.type":"int8"}},""" +
            """{"name":"price","type":{"type":"bytes","scale":2,"precision":64,"connect.version":1,"connect.parameters":{"scale":"2"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}},""" +
            """{"name":"day","type":{"type":"int","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Date","logicalType":"date"}},""" +
            """{"name":"at","type":{"type":"int","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Time","logicalType":"time-millis"}},""" +
            """{"name":"ts","type":{"type":"long","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Timestamp","logicalType":"timestamp-millis"}}""" +
            """],"connect.name":"com.example.Order"}""",
            ToAvro(schema));
    }

    [Fact]
    public void UnnamedStructs_AreConnectDefault_NumberedFromTheSecond()
    {
        var inner = SchemaBuilder.Struct().Field("x", Schema.Int32).Build();
        var other = SchemaBuilder.Struct().Field("y", Schema.Int32).Build();
        var schema = SchemaBuilder.Struct().Field("a", inner).Field("b", other).Field("c", inner).Build();

        Assert.Equal(
            """{"type":"record","name":"ConnectDefault","namespace":"io.confluent.connect.avro","fields":[""" +
            """{"name":"a","type":{"type":"record","name":"ConnectDefault2","fields":[{"name":"x","type":"int"}]}},""" +
            """{"name":"b","type":{"type":"record","name":"ConnectDefault3","fields":[{"name":"y","type":"int"}]}},""" +
            """{"name":"c","type":"ConnectDefault2"}]}""",
            ToAvro(schema));
    }

    [Fact]
    public void Maps_WithStringKeys_AreAvroMaps_OtherKeys_ArraysOfMapEntry()
    {
        var schema = SchemaBuilder.Struct().WithName("M")
            .Field("byName", SchemaBuilder.Map(Schema.String, Schema.Int32).Build())
            .Field("byId", SchemaBuilder.Map(Schema.Int32, Schema.String).Build())
            .Field("list", SchemaBuilder.Array(Schema.OptionalBytes).Optional().Build())
            .Build();

        Assert.Equal(
            """{"type":"record","name":"M","fields":[""" +
            """{"name":"byName","type":{"type":"map","values":"int"}},""" +
            """{"name":"byId","type":{"type":"array","items":{"type":"record","name":"MapEntry","namespace":"io.confluent.connect.avro","fields":[{"name":"key","type":"int"},{"name":"value","type":"string"}]}}},""" +
            """{"name":"list","type":["null",{"type":"array","items":["null","bytes"]}],"default":null}""" +
            """],"connect.name":"M"}""",
            ToAvro(schema));
    }

    [Fact]
    public void DocsVersionsParametersAndDefaults_RideInConnectProperties()
    {
        var schema = SchemaBuilder.Struct().WithName("a.b.C").WithVersion(3).WithDoc("the doc").Parameter("k", "v")
            .Field("n", SchemaBuilder.Int32().DefaultValue(7).WithDoc("a number").Build())
            .Field("s", SchemaBuilder.String().Optional().DefaultValue("x").Build())
            .Field("f", SchemaBuilder.Float64().DefaultValue(1.5).Build())
            .Build();

        Assert.Equal(
            """{"type":"record","name":"C","namespace":"a.b","fields":[""" +
            """{"name":"n","type":{"type":"int","connect.doc":"a number","connect.default":7},"default":7},""" +
            """{"name":"s","type":[{"type":"string","connect.default":"x"},"null"],"default":"x"},""" +
            """{"name":"f","type":{"type":"double","connect.default":1.5},"default":1.5}""" +
            """],"connect.doc":"the doc","connect.version":3,"connect.parameters":{"k":"v"},"connect.name":"a.b.C"}""",
            ToAvro(schema));
    }

    [Fact]
    public void WithoutConnectMetaData_OnlyAvrosOwnSchemaIsWritten()
    {
        var config = Config(("connect.meta.data", "false"));
        var schema = SchemaBuilder.Struct().WithName("X").WithDoc("d").Field("s", Schema.Int16).Field("d", LogicalTypes.Decimal(3).Build()).Build();

        Assert.Equal(
            """{"type":"record","name":"X","fields":[{"name":"s","type":"int"},{"name":"d","type":{"type":"bytes","scale":3,"precision":64,"logicalType":"decimal"}}]}""",
            ToAvro(schema, config));
    }

    [Fact]
    public void ScrubInvalidNames_MakesEveryNameValidAvro()
    {
        var config = Config(("scrub.invalid.names", "true"));
        var schema = SchemaBuilder.Struct().WithName("my-ns.1rec").Field("a b", Schema.Int32).Field("c-d", Schema.Int32).Build();

        Assert.Equal(
            """{"type":"record","name":"x1rec","namespace":"my_ns","fields":[{"name":"a_b","type":"int"},{"name":"c_d","type":"int"}],"connect.name":"my-ns.1rec"}""",
            ToAvro(schema, config));
    }

    [Fact]
    public void Schemas_RoundTripThroughAvro()
    {
        var address = SchemaBuilder.Struct().WithName("com.example.Address").WithDoc("where").Field("street", Schema.String).Field("zip", Schema.OptionalInt32).Build();
        var schema = SchemaBuilder.Struct().WithName("com.example.Person").WithVersion(2)
            .Field("name", Schema.String)
            .Field("age", Schema.OptionalInt8)
            .Field("weight", Schema.Float32)
            .Field("address", address)
            .Field("previous", SchemaBuilder.Array(address).Build())
            .Field("tags", SchemaBuilder.Map(Schema.String, Schema.OptionalString).Optional().Build())
            .Field("scores", SchemaBuilder.Map(Schema.Int64, Schema.Float64).Build())
            .Field("balance", LogicalTypes.Decimal(4).Optional().Build())
            .Field("born", LogicalTypes.DateSchema)
            .Field("flag", SchemaBuilder.Bool().DefaultValue(true).Build())
            .Build();

        Assert.Equal(schema, ToConnect(ToAvro(schema)));
    }

    [Fact]
    public void RegistryVersion_IsUsed_WhenConnectSetNone()
    {
        var read = ToConnect("""{"type":"record","name":"R","namespace":"n","fields":[{"name":"a","type":"int","doc":"field doc","default":3}]}""", version: 5);

        Assert.Equal("n.R", read.Name);
        Assert.Equal(5, read.Version);
        Assert.Equal("field doc", read.Parameters!["io.confluent.connect.avro.field.doc.a"]);
        var a = read.Field("a")!.Schema;
        Assert.Equal(3, a.DefaultValue);
        Assert.Equal("true", a.Parameters!["io.confluent.connect.avro.field.default"]);
    }

    [Fact]
    public void EnumsUnionsAndFixed_FromOtherProducers_HaveConnectForms()
    {
        var read = ToConnect("""
            {"type":"record","name":"E","fields":[
              {"name":"suit","type":{"type":"enum","name":"Suit","symbols":["HEARTS","SPADES"]}},
              {"name":"either","type":["null","int","string"]},
              {"name":"hash","type":{"type":"fixed","name":"Hash","size":4}}]}
            """);

        var suit = read.Field("suit")!.Schema;
        Assert.Equal(SchemaType.String, suit.Type);
        Assert.Equal("Suit", suit.Parameters!["io.confluent.connect.avro.Enum"]);
        Assert.Equal("SPADES", suit.Parameters["io.confluent.connect.avro.Enum.SPADES"]);
        var either = read.Field("either")!.Schema;
        Assert.Equal("io.confluent.connect.avro.Union", either.Name);
        Assert.True(either.IsOptional);
        Assert.Equal(["int", "string"], either.Fields.Select(f => f.Name));
        var hash = read.Field("hash")!.Schema;
        Assert.Equal("4", hash.Parameters!["connect.fixed.size"]);
        Assert.Equal("Hash", hash.Name);
    }

    [Fact]
    public void EnhancedSupport_WritesEnumsBackAsEnums()
    {
        var config = Config(("enhanced.avro.schema.support", "true"));
        var json = """{"type":"record","name":"E","fields":[{"name":"suit","type":{"type":"enum","name":"Suit","namespace":"cards","symbols":["HEARTS","SPADES"]}}]}""";

        var written = ToAvro(ToConnect(json, config: config), config);

        Assert.Contains("""{"type":"enum","name":"Suit","namespace":"cards","symbols":["HEARTS","SPADES"]""", written);
    }

    [Fact]
    public void RecursiveAvroSchemas_AreRefused()
    {
        var json = """{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"]}]}""";

        Assert.Throws<DataException>(() => ToConnect(json));
    }

    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(1.5e10, "1.5E10")]
    [InlineData(0.001, "0.001")]
    [InlineData(1e-4, "1.0E-4")]
    [InlineData(1234567.0, "1234567.0")]
    [InlineData(-0.1, "-0.1")]
    public void Doubles_AreWrittenAsJavaWritesThem(double value, string expected)
    {
        Assert.Equal(expected, JavaJson.Double(value));
    }

    private static AvroDataConfig Config(params (string Key, string Value)[] settings) =>
        new(AvroDataConfig.Define(new Tributary.Grains.Connect.Api.Config.ConfigDef()).Parse(settings.ToDictionary(s => s.Key, s => s.Value)));
}

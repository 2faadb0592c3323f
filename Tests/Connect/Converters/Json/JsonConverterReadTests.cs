using Tributary.Grains.Connect.Api.Data;
using static Tributary.Tests.Connect.Converters.Json.JsonConverterFixture;

namespace Tributary.Tests.Connect.Converters.Json;

/// <summary>Reading JSON into Connect data, with the inputs of Kafka's own JsonConverterTest.</summary>
public sealed class JsonConverterReadTests
{
    private const string EnvelopeError =
        "JsonConverter with schemas.enable requires \"schema\" and \"payload\" fields and may not contain additional fields. " +
        "If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.";

    private readonly Grains.Connect.Converters.Json.JsonConverter _converter = Converter();

    private SchemaAndValue Read(string json) => _converter.ToConnectData(Topic, Bytes(json));

    [Fact]
    public void ToConnectData_SchemaMetadata_IsTranslatedIntoTheSchema()
    {
        ConnectAssert.Equal(new SchemaAndValue(Schema.Boolean, true), Read("""{ "schema": { "type": "boolean" }, "payload": true }"""));
        ConnectAssert.Equal(new SchemaAndValue(Schema.OptionalBoolean, null), Read("""{ "schema": { "type": "boolean", "optional": true }, "payload": null }"""));
        ConnectAssert.Equal(new SchemaAndValue(SchemaBuilder.Bool().DefaultValue(true).Build(), true),
            Read("""{ "schema": { "type": "boolean", "default": true }, "payload": null }"""));
        ConnectAssert.Equal(
            new SchemaAndValue(SchemaBuilder.Bool().Required().WithName("bool").WithVersion(2).WithDoc("the documentation").Parameter("foo", "bar").Build(), true),
            Read("""{ "schema": { "type": "boolean", "optional": false, "name": "bool", "version": 2, "doc": "the documentation", "parameters": { "foo": "bar" }}, "payload": true }"""));
    }

    [Fact]
    public void ToConnectData_EachPrimitive_TakesItsSchemasCSharpType()
    {
        Assert.Equal((sbyte)12, Read("""{ "schema": { "type": "int8" }, "payload": 12 }""").Value);
        Assert.Equal((short)12, Read("""{ "schema": { "type": "int16" }, "payload": 12 }""").Value);
        Assert.Equal(12, Read("""{ "schema": { "type": "int32" }, "payload": 12 }""").Value);
        Assert.Equal(4398046511104L, Read("""{ "schema": { "type": "int64" }, "payload": 4398046511104 }""").Value);
        Assert.Equal(12.34f, Read("""{ "schema": { "type": "float" }, "payload": 12.34 }""").Value);
        Assert.Equal(12.34, Read("""{ "schema": { "type": "double" }, "payload": 12.34 }""").Value);
        Assert.Equal("foo-bar-baz", Read("""{ "schema": { "type": "string" }, "payload": "foo-bar-baz" }""").Value);
        Assert.Equal("test-string"u8.ToArray(), (byte[])Read("""{ "schema": { "type": "bytes" }, "payload": "dGVzdC1zdHJpbmc=" }""").Value!);
    }

    [Fact]
    public void ToConnectData_NumbersWithLeadingZeros_AreReadAsJacksonAllowsThem()
    {
        Assert.Equal((sbyte)12, Read("""{ "schema": { "type": "int8" }, "payload": 0012 }""").Value);
        Assert.Equal((short)123, Read("""{ "schema": { "type": "int16" }, "payload": 000123 }""").Value);
        Assert.Equal(12345, Read("""{ "schema": { "type": "int32" }, "payload": 000012345 }""").Value);
        Assert.Equal(123456789L, Read("""{ "schema": { "type": "int64" }, "payload": 00000123456789 }""").Value);
        Assert.Equal(-7L, Schemaless().ToConnectData(Topic, Bytes("-007")).Value);
        Assert.Equal("0012", Schemaless().ToConnectData(Topic, Bytes("\"0012\"")).Value);
    }

    [Fact]
    public void ToConnectData_ArrayMapsAndStructs_AreReadWithTheirSchemas()
    {
        ConnectAssert.Equal(
            new SchemaAndValue(SchemaBuilder.Array(Schema.Int32).Build(), new List<object?> { 1, 2, 3 }),
            Read("""{ "schema": { "type": "array", "items": { "type" : "int32" } }, "payload": [1, 2, 3] }"""));
        ConnectAssert.Equal(
            new SchemaAndValue(SchemaBuilder.Map(Schema.String, Schema.Int32).Build(), new Dictionary<object, object?> { ["key1"] = 12, ["key2"] = 15 }),
            Read("""{ "schema": { "type": "map", "keys": { "type" : "string" }, "values": { "type" : "int32" } }, "payload": { "key1": 12, "key2": 15} }"""));
        ConnectAssert.Equal(
            new SchemaAndValue(SchemaBuilder.Map(Schema.Int32, Schema.Int32).Build(), new Dictionary<object, object?> { [1] = 12, [2] = 15 }),
            Read("""{ "schema": { "type": "map", "keys": { "type" : "int32" }, "values": { "type" : "int32" } }, "payload": [ [1, 12], [2, 15] ] }"""));

        var structSchema = SchemaBuilder.Struct().Field("field1", Schema.Boolean).Field("field2", Schema.String).Build();
        ConnectAssert.Equal(
            new SchemaAndValue(structSchema, new Struct(structSchema).Put("field1", true).Put("field2", "string")),
            Read("""{ "schema": { "type": "struct", "fields": [{ "field": "field1", "type": "boolean" }, { "field": "field2", "type": "string" }] }, "payload": { "field1": true, "field2": "string" } }"""));
    }

    [Fact]
    public void ToConnectData_StructMissingAnOptionalField_LeavesItNull()
    {
        var schema = SchemaBuilder.Struct().Field("optional", Schema.OptionalString).Field("required", Schema.String).Build();

        ConnectAssert.Equal(
            new SchemaAndValue(schema, new Struct(schema).Put("required", "required")),
            Read("""{ "schema": { "type": "struct", "fields": [{ "field":"optional", "type": "string", "optional": true }, {  "field": "required", "type": "string" }] }, "payload": { "required": "required" } }"""));
    }

    [Fact]
    public void ToConnectData_Tombstone_IsTheNullPair()
    {
        ConnectAssert.Equal(SchemaAndValue.Null, _converter.ToConnectData(Topic, null));
    }

    [Fact]
    public void ToConnectData_EmptyBytesWithSchemasDisabled_IsTheNullPair()
    {
        ConnectAssert.Equal(SchemaAndValue.Null, Schemaless().ToConnectData(Topic, []));
    }

    [Fact]
    public void ToConnectData_SchemalessObject_IsAMapKeepingEmptyAndNullValues()
    {
        var read = Schemaless().ToConnectData(Topic, Bytes("""{ "a": "", "b": null}"""));

        ConnectAssert.Equal(new SchemaAndValue(null, new Dictionary<object, object?> { ["a"] = "", ["b"] = null }), read);
    }

    [Fact]
    public void ToConnectData_NullSchema_InfersInt64DoubleStringListAndMap()
    {
        ConnectAssert.Equal(SchemaAndValue.Null, Read("""{ "schema": null, "payload": null }"""));
        ConnectAssert.Equal(new SchemaAndValue(null, true), Read("""{ "schema": null, "payload": true }"""));
        ConnectAssert.Equal(new SchemaAndValue(null, 12L), Read("""{ "schema": null, "payload": 12 }"""));
        ConnectAssert.Equal(new SchemaAndValue(null, 12.24), Read("""{ "schema": null, "payload": 12.24 }"""));
        ConnectAssert.Equal(new SchemaAndValue(null, "a string"), Read("""{ "schema": null, "payload": "a string" }"""));
        ConnectAssert.Equal(new SchemaAndValue(null, new List<object?> { 1L, "2", 3L }), Read("""{ "schema": null, "payload": [1, "2", 3] }"""));
        ConnectAssert.Equal(
            new SchemaAndValue(null, new Dictionary<object, object?> { ["field1"] = 1L, ["field2"] = 2L }),
            Read("""{ "schema": null, "payload": { "field1": 1, "field2": 2} }"""));
    }

    [Fact]
    public void ToConnectData_SchemasDisabled_ReadsPlainJson()
    {
        ConnectAssert.Equal(new SchemaAndValue(null, true), Schemaless().ToConnectData(Topic, Bytes("true")));
        ConnectAssert.Equal(new SchemaAndValue(null, 1e300 * 10), Schemaless().ToConnectData(Topic, Bytes("1E301")));
    }

    [Fact]
    public void ToConnectData_DecimalAsBase64_IsTheDecimalAtTheSchemasScale()
    {
        var read = Read("""{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "parameters": { "scale": "2" } }, "payload": "AJw=" }""");

        Assert.Equal(LogicalTypes.Decimal(2).Build(), read.Schema);
        Assert.Equal(1.56m, read.Value);
    }

    [Fact]
    public void ToConnectData_DecimalAsNumber_KeepsTheNumbersOwnDigits()
    {
        var read = Read("""{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "parameters": { "scale": "4" } }, "payload": 1.5600 }""");
        var precise = Read("""{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "parameters": { "scale": "17" } }, "payload": 1.23456789123456789 }""");

        Assert.Equal(4, ((decimal)read.Value!).Scale);
        Assert.Equal(1.5600m, read.Value);
        Assert.Equal(1.23456789123456789m, precise.Value);
    }

    [Fact]
    public void ToConnectData_DecimalDefaults_ApplyToNullPayloads()
    {
        var read = Read("""{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "optional": true, "default": "AJw=", "parameters": { "scale": "2" } }, "payload": null }""");

        Assert.Equal(LogicalTypes.Decimal(2).Optional().DefaultValue(1.56m).Build(), read.Schema);
        Assert.Equal(1.56m, read.Value);
    }

    [Fact]
    public void ToConnectData_DateTimeAndTimestamp_AreUtcDateTimes()
    {
        var date = Read("""{ "schema": { "type": "int32", "name": "org.apache.kafka.connect.data.Date", "version": 1 }, "payload": 10000 }""");
        var time = Read("""{ "schema": { "type": "int32", "name": "org.apache.kafka.connect.data.Time", "version": 1 }, "payload": 14400000 }""");
        var timestamp = Read("""{ "schema": { "type": "int64", "name": "org.apache.kafka.connect.data.Timestamp", "version": 1 }, "payload": 4000000000 }""");
        var timestampDefault = Read("""{ "schema": { "type": "int64", "name": "org.apache.kafka.connect.data.Timestamp", "version": 1,  "optional": true, "default": 42 }, "payload": null }""");

        ConnectAssert.Equal(new SchemaAndValue(LogicalTypes.DateSchema, DateTime.UnixEpoch.AddDays(10000)), date);
        ConnectAssert.Equal(new SchemaAndValue(LogicalTypes.TimeSchema, DateTime.UnixEpoch.AddMilliseconds(14400000)), time);
        ConnectAssert.Equal(new SchemaAndValue(LogicalTypes.TimestampSchema, DateTime.UnixEpoch.AddMilliseconds(4000000000)), timestamp);
        Assert.Equal(DateTime.UnixEpoch.AddMilliseconds(42), timestampDefault.Value);
    }

    [Fact]
    public void ToConnectData_DateAsNonInteger_ThrowsKafkasMessage()
    {
        var error = Assert.Throws<DataException>(() => Read("""{ "schema": { "type": "int32", "name": "org.apache.kafka.connect.data.Date", "version": 1 }, "payload": 1.5 }"""));

        Assert.Equal("Invalid type for Date, underlying representation should be integer but was NUMBER", error.Message);
    }

    [Fact]
    public void ToConnectData_TimeBeyondADay_ThrowsKafkasMessage()
    {
        var error = Assert.Throws<DataException>(() => Read("""{ "schema": { "type": "int32", "name": "org.apache.kafka.connect.data.Time", "version": 1 }, "payload": 86400001 }"""));

        Assert.Equal("Time values must use number of milliseconds greater than 0 and less than 86400000", error.Message);
    }

    [Fact]
    public void ToConnectData_NullForRequiredWithoutDefault_ThrowsKafkasMessage()
    {
        var error = Assert.Throws<DataException>(() => Read("""{ "schema": { "type": "int32" }, "payload": null }"""));

        Assert.Equal("Invalid null value for required INT32 field", error.Message);
    }

    [Fact]
    public void ToConnectData_NullWithDefaultAndReplaceDisabled_StaysNull()
    {
        var converter = Converter(("replace.null.with.default", "false"));
        const string structJson = """{"schema":{"type":"struct","fields":[{"field":"field1","type":"string","optional":true,"default":"default"}],"optional":false},"payload":{"field1":null}}""";
        var fieldSchema = SchemaBuilder.String().Optional().DefaultValue("default").Build();
        var structSchema = SchemaBuilder.Struct().Field("field1", fieldSchema).Build();

        Assert.Null(converter.ToConnectData(Topic, Bytes("""{"schema":{"type":"string","optional":true,"default":"default"},"payload":null}""")).Value);
        Assert.Equal(new Struct(structSchema), converter.ToConnectData(Topic, Bytes(structJson)).Value);
        Assert.Equal(new Struct(structSchema).Put("field1", "default"), Converter().ToConnectData(Topic, Bytes(structJson)).Value);
    }

    [Theory]
    [InlineData("true")]
    [InlineData("""{ "payload": true }""")]
    [InlineData("""{ "schema": null, "payload": true, "extra": 1 }""")]
    [InlineData("")]
    [InlineData("""{ "schema": { "type": "boolean" }, "payload": true, "extra": 1 }""")]
    [InlineData("""{ "schema": { "type": "boolean" } }""")]
    public void ToConnectData_WithSchemasEnabledButNoEnvelope_ThrowsKafkasExactMessage(string json)
    {
        var error = Assert.Throws<DataException>(() => Read(json));

        Assert.Equal(EnvelopeError, error.Message);
    }

    [Theory]
    [InlineData("{ \"schema\": ")]
    [InlineData("""{ "schema": { "type": "boolean" }, "payload": true } x""")]
    [InlineData("""{ "schema": { "type": "boolean" }, "payload": tru }""")]
    public void ToConnectData_InvalidJson_ThrowsASerializationError(string json)
    {
        var error = Assert.Throws<DataException>(() => Read(json));

        Assert.Equal("Converting byte[] to Kafka Connect data failed due to serialization error: ", error.Message);
    }

    [Fact]
    public void ToConnectData_AMemberGivenTwice_TakesItsLastValue_AsJacksonDoes()
    {
        Assert.Equal(2, Read("""{ "schema": { "type": "int32" }, "payload": 1, "payload": 2 }""").Value);
        Assert.Equal("2", Read("""{ "schema": { "type": "int32" }, "schema": { "type": "string" }, "payload": "2" }""").Value);
    }

    [Theory]
    [InlineData("""{"schema":{"type":"int32","optional":true},"payload":7}""", 7)]
    [InlineData("""{"schema":{"type":"int32","optional":true} , "payload" : 7 }  """, 7)]
    [InlineData("""{"schema":{"type":"int32","optional":true},"payload":0007}""", 7)]
    [InlineData("""{"schema":{"type":"int32","optional":true},"payload":1,"payload":7}""", 7)]
    [InlineData("""{"schema":{"type":"int32","optional":true},"\u0070ayload":7}""", 7)]
    [InlineData("""{"schema":{"type":"int32","optional":true},"payload":null}""", null)]
    public void ToConnectData_AfterARecordWithTheSameSchema_ReadsTheEnvelopeAlike(string json, int? expected)
    {
        Read("""{"schema":{"type":"int32","optional":true},"payload":1}""");

        Assert.Equal(expected, (int?)Read(json).Value);
    }

    [Theory]
    [InlineData("""{"schema":{"type":"int32"},"payload":7,"extra":1}""", EnvelopeError)]
    [InlineData("""{"schema":{"type":"int32"},"payload":7}}""", "Converting byte[] to Kafka Connect data failed due to serialization error: ")]
    [InlineData("""{"schema":{"type":"int32"},"payload":7} x""", "Converting byte[] to Kafka Connect data failed due to serialization error: ")]
    [InlineData("{\"schema\":{\"type\":\"int32\"},\"payload\":\"}\"", "Converting byte[] to Kafka Connect data failed due to serialization error: ")]
    [InlineData("""{"schema":{"type":"int32"},"payload":}""", "Converting byte[] to Kafka Connect data failed due to serialization error: ")]
    [InlineData("""{"schema":{"type":"int32"}}""", EnvelopeError)]
    public void ToConnectData_AfterARecordWithTheSameSchema_RefusesWhatIsNoEnvelopeAlike(string json, string message)
    {
        Read("""{"schema":{"type":"int32"},"payload":1}""");

        Assert.Equal(message, Assert.Throws<DataException>(() => Read(json)).Message);
    }

    [Fact]
    public void ToConnectData_EscapedMemberNamesAndWhitespace_AreAnEnvelopeStill()
    {
        ConnectAssert.Equal(new SchemaAndValue(Schema.Int32, 7), Read("{\"\\u0073chema\":{\"type\":\"int32\"},\"payload\":7}\n  "));
    }

    [Theory]
    [InlineData("""{ "schema": { "optional": true }, "payload": 1 }""", "Schema must contain 'type' field")]
    [InlineData("""{ "schema": { "type": "uuid" }, "payload": 1 }""", "Unknown schema type: uuid")]
    [InlineData("""{ "schema": { "type": "array" }, "payload": [] }""", "Array schema did not specify the element type")]
    [InlineData("""{ "schema": { "type": "map", "values": { "type": "int8" } }, "payload": {} }""", "Map schema did not specify the key type")]
    [InlineData("""{ "schema": { "type": "struct", "fields": 1 }, "payload": {} }""", "Struct schema's \"fields\" argument is not an array.")]
    [InlineData("""{ "schema": { "type": "struct", "fields": [{ "type": "int8" }] }, "payload": {} }""", "Struct schema's field name not specified properly")]
    [InlineData("""{ "schema": { "type": "int8", "parameters": { "a": 1 } }, "payload": 1 }""", "Schema parameters must have string values.")]
    [InlineData("""{ "schema": { "type": "map", "keys": { "type": "string" }, "values": { "type": "int8" } }, "payload": [] }""", "Maps with string fields should be encoded as JSON objects, but found ARRAY")]
    [InlineData("""{ "schema": { "type": "map", "keys": { "type": "int8" }, "values": { "type": "int8" } }, "payload": [[1]] }""", "Found invalid map entry, expected length 2 but found :1")]
    [InlineData("""{ "schema": { "type": "struct", "fields": [] }, "payload": [] }""", "Structs should be encoded as JSON objects, but found ARRAY")]
    public void ToConnectData_MalformedSchemaOrPayload_ThrowsKafkasMessage(string json, string message)
    {
        var error = Assert.Throws<DataException>(() => Read(json));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void ToConnectData_PayloadOfTheWrongKind_ThrowsRatherThanReadingZero()
    {
        Assert.Throws<DataException>(() => Read("""{ "schema": { "type": "int32" }, "payload": "12" }"""));
    }

    [Fact]
    public void ToConnectData_IntegersBeyondTheirType_WrapAsJavasCastsDo()
    {
        Assert.Equal(unchecked((sbyte)300), Read("""{ "schema": { "type": "int8" }, "payload": 300 }""").Value);
        Assert.Equal(12, Read("""{ "schema": { "type": "int32" }, "payload": 12.9 }""").Value);
        Assert.Equal(long.MinValue, Read("""{ "schema": { "type": "int64" }, "payload": 9223372036854775808 }""").Value);
    }

    [Fact]
    public void ToConnectHeader_DelegatesToTheValueForm()
    {
        ConnectAssert.Equal(new SchemaAndValue(Schema.String, "foo-bar-baz"),
            _converter.ToConnectHeader(Topic, "headerName", Bytes("""{ "schema": { "type": "string" }, "payload": "foo-bar-baz" }""")));
    }

    [Fact]
    public void ToConnectData_NestingDeeperThanSystemTextJsonsDefault_IsReadUpToJacksonsLimit()
    {
        var json = new string('[', 200) + new string(']', 200);

        var read = Schemaless().ToConnectData(Topic, Bytes(json));

        Assert.IsType<List<object?>>(read.Value);
    }
}

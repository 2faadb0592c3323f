using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Data;
using static Tributary.Tests.Connect.Converters.Json.JsonConverterFixture;

namespace Tributary.Tests.Connect.Converters.Json;

/// <summary>
/// The bytes the JSON converter writes, compared with the exact compact text Kafka's Jackson writes for the same data
/// (field order from Kafka's asJsonSchema: type, items/keys/values/fields, optional, name, version, doc, parameters,
/// default; a struct field's "field" last).
/// </summary>
public sealed class JsonConverterWriteTests
{
    private readonly Grains.Connect.Converters.Json.JsonConverter _converter = Converter();

    [Fact]
    public void FromConnectData_WithSchemasEnabled_WritesKafkasEnvelopeByteForByte()
    {
        Assert.Equal(
            """{"schema":{"type":"boolean","optional":false},"payload":true}""",
            AsText(_converter.FromConnectData(Topic, Schema.Boolean, true)));
    }

    [Theory]
    [InlineData("int8", (sbyte)12, "12")]
    [InlineData("int16", (short)12, "12")]
    [InlineData("int32", 12, "12")]
    [InlineData("int64", 4398046511104L, "4398046511104")]
    [InlineData("float", 12.34f, "12.34")]
    [InlineData("double", 12.34, "12.34")]
    [InlineData("string", "test-string", "\"test-string\"")]
    public void FromConnectData_EachPrimitive_WritesKafkasTypeNameAndPayload(string typeName, object value, string payload)
    {
        var schema = typeName switch
        {
            "int8" => Schema.Int8,
            "int16" => Schema.Int16,
            "int32" => Schema.Int32,
            "int64" => Schema.Int64,
            "float" => Schema.Float32,
            "double" => Schema.Float64,
            _ => Schema.String,
        };

        Assert.Equal(
            $$"""{"schema":{"type":"{{typeName}}","optional":false},"payload":{{payload}}}""",
            AsText(_converter.FromConnectData(Topic, schema, value)));
    }

    [Fact]
    public void FromConnectData_Bytes_WritesPaddedBase64()
    {
        Assert.Equal(
            """{"schema":{"type":"bytes","optional":false},"payload":"dGVzdC1zdHJpbmc="}""",
            AsText(_converter.FromConnectData(Topic, Schema.Bytes, "test-string"u8.ToArray())));
    }

    [Fact]
    public void FromConnectData_SchemaMetadata_WritesNameVersionDocAndParametersInKafkasOrder()
    {
        var schema = SchemaBuilder.Bool().Required().WithName("bool").WithVersion(3).WithDoc("the documentation").Parameter("foo", "bar").Build();

        Assert.Equal(
            """{"schema":{"type":"boolean","optional":false,"name":"bool","version":3,"doc":"the documentation","parameters":{"foo":"bar"}},"payload":true}""",
            AsText(_converter.FromConnectData(Topic, schema, true)));
    }

    [Fact]
    public void FromConnectData_SchemaWithDefault_WritesTheDefaultLast()
    {
        Assert.Equal(
            """{"schema":{"type":"boolean","optional":false,"default":true},"payload":true}""",
            AsText(_converter.FromConnectData(Topic, SchemaBuilder.Bool().DefaultValue(true).Build(), true)));
    }

    [Fact]
    public void FromConnectData_OptionalNull_WritesNullPayload()
    {
        Assert.Equal(
            """{"schema":{"type":"boolean","optional":true},"payload":null}""",
            AsText(_converter.FromConnectData(Topic, Schema.OptionalBoolean, null)));
    }

    [Fact]
    public void FromConnectData_Array_WritesItemsBeforeOptional()
    {
        Assert.Equal(
            """{"schema":{"type":"array","items":{"type":"int32","optional":false},"optional":false},"payload":[1,2,3]}""",
            AsText(_converter.FromConnectData(Topic, SchemaBuilder.Array(Schema.Int32).Build(), new List<object?> { 1, 2, 3 })));
    }

    [Fact]
    public void FromConnectData_MapWithStringKeys_WritesAJsonObject()
    {
        var schema = SchemaBuilder.Map(Schema.String, Schema.Int32).Build();
        var map = new Dictionary<string, object?> { ["key1"] = 12, ["key2"] = 15 };

        Assert.Equal(
            """{"schema":{"type":"map","keys":{"type":"string","optional":false},"values":{"type":"int32","optional":false},"optional":false},"payload":{"key1":12,"key2":15}}""",
            AsText(_converter.FromConnectData(Topic, schema, map)));
    }

    [Fact]
    public void FromConnectData_MapWithNonStringKeys_WritesAnArrayOfPairs()
    {
        var schema = SchemaBuilder.Map(Schema.Int32, Schema.Int32).Build();
        var map = new Dictionary<object, object?> { [1] = 12, [2] = 15 };

        Assert.Equal(
            """{"schema":{"type":"map","keys":{"type":"int32","optional":false},"values":{"type":"int32","optional":false},"optional":false},"payload":[[1,12],[2,15]]}""",
            AsText(_converter.FromConnectData(Topic, schema, map)));
    }

    [Fact]
    public void FromConnectData_Struct_WritesFieldsWithTheFieldNameLastAndOptionalAfterFields()
    {
        var schema = SchemaBuilder.Struct().Field("field1", Schema.Boolean).Field("field2", Schema.String)
            .Field("field3", Schema.String).Field("field4", Schema.Boolean).Build();
        var value = new Struct(schema).Put("field1", true).Put("field2", "string2").Put("field3", "string3").Put("field4", false);

        Assert.Equal(
            """{"schema":{"type":"struct","fields":[{"type":"boolean","optional":false,"field":"field1"},{"type":"string","optional":false,"field":"field2"},{"type":"string","optional":false,"field":"field3"},{"type":"boolean","optional":false,"field":"field4"}],"optional":false},"payload":{"field1":true,"field2":"string2","field3":"string3","field4":false}}""",
            AsText(_converter.FromConnectData(Topic, schema, value)));
    }

    [Fact]
    public void FromConnectData_NamedNestedStruct_WritesTheNestedSchemaWithItsFieldNameAppended()
    {
        var inner = SchemaBuilder.Struct().WithName("ksql.inner").Field("id", Schema.Int64).Build();
        var outer = SchemaBuilder.Struct().WithName("ksql.users").Field("inner", inner).Field("tags", SchemaBuilder.Array(Schema.String).Optional().Build()).Build();
        var value = new Struct(outer).Put("inner", new Struct(inner).Put("id", 7L)).Put("tags", new List<object?> { "a" });

        Assert.Equal(
            """{"schema":{"type":"struct","fields":[{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"}],"optional":false,"name":"ksql.inner","field":"inner"},{"type":"array","items":{"type":"string","optional":false},"optional":true,"field":"tags"}],"optional":false,"name":"ksql.users"},"payload":{"inner":{"id":7},"tags":["a"]}}""",
            AsText(_converter.FromConnectData(Topic, outer, value)));
    }

    [Fact]
    public void FromConnectData_DecimalByDefault_WritesTheUnscaledBytesAsBase64()
    {
        Assert.Equal(
            """{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}},"payload":"AJw="}""",
            AsText(_converter.FromConnectData(Topic, LogicalTypes.Decimal(2).Build(), 1.56m)));
    }

    [Fact]
    public void FromConnectData_DecimalWithNumericFormat_WritesAJsonNumberKeepingTrailingZeros()
    {
        var converter = Converter(("decimal.format", "numeric"));

        Assert.Equal(
            """{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"4"}},"payload":1.5600}""",
            AsText(converter.FromConnectData(Topic, LogicalTypes.Decimal(4).Build(), 1.5600m)));
    }

    [Fact]
    public void FromConnectData_TinyNumericDecimal_WritesJavasBigDecimalExponentForm()
    {
        var converter = Converter(("decimal.format", "NUMERIC"), ("schemas.enable", "false"));

        Assert.Equal("1.2E-7", AsText(converter.FromConnectData(Topic, LogicalTypes.Decimal(8).Build(), 0.00000012m)));
        Assert.Equal("0.000001", AsText(converter.FromConnectData(Topic, LogicalTypes.Decimal(6).Build(), 0.000001m)));
    }

    [Fact]
    public void FromConnectData_Date_WritesDaysSinceEpochAsInt()
    {
        Assert.Equal(
            """{"schema":{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Date","version":1},"payload":10000}""",
            AsText(_converter.FromConnectData(Topic, LogicalTypes.DateSchema, DateTime.UnixEpoch.AddDays(10000))));
    }

    [Fact]
    public void FromConnectData_Time_WritesMillisOfDay()
    {
        Assert.Equal(
            """{"schema":{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Time","version":1},"payload":14400000}""",
            AsText(_converter.FromConnectData(Topic, LogicalTypes.TimeSchema, DateTime.UnixEpoch.AddMilliseconds(14400000))));
    }

    [Fact]
    public void FromConnectData_Timestamp_WritesMillisSinceEpochAsLong()
    {
        Assert.Equal(
            """{"schema":{"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1},"payload":4000000000}""",
            AsText(_converter.FromConnectData(Topic, LogicalTypes.TimestampSchema, DateTime.UnixEpoch.AddMilliseconds(4000000000))));
    }

    [Fact]
    public void FromConnectData_NullWithDefaultAndReplaceEnabled_WritesTheDefault()
    {
        var schema = SchemaBuilder.String().Optional().DefaultValue("default").Build();

        Assert.Equal(
            """{"schema":{"type":"string","optional":true,"default":"default"},"payload":"default"}""",
            AsText(Converter(("replace.null.with.default", "true")).FromConnectData(Topic, schema, null)));
    }

    [Fact]
    public void FromConnectData_NullWithDefaultAndReplaceDisabled_WritesNull()
    {
        var schema = SchemaBuilder.String().Optional().DefaultValue("default").Build();

        Assert.Equal(
            """{"schema":{"type":"string","optional":true,"default":"default"},"payload":null}""",
            AsText(Converter(("replace.null.with.default", "false")).FromConnectData(Topic, schema, null)));
    }

    [Fact]
    public void FromConnectData_UnsetStructFieldWithDefault_WritesTheDefaultOnlyWhenReplacing()
    {
        var field = SchemaBuilder.String().Optional().DefaultValue("default").Build();
        var schema = SchemaBuilder.Struct().Field("field1", field).Build();

        Assert.Equal(
            """{"schema":{"type":"struct","fields":[{"type":"string","optional":true,"default":"default","field":"field1"}],"optional":false},"payload":{"field1":"default"}}""",
            AsText(Converter().FromConnectData(Topic, schema, new Struct(schema))));
        Assert.Equal(
            """{"schema":{"type":"struct","fields":[{"type":"string","optional":true,"default":"default","field":"field1"}],"optional":false},"payload":{"field1":null}}""",
            AsText(Converter(("replace.null.with.default", "false")).FromConnectData(Topic, schema, new Struct(schema))));
    }

    [Fact]
    public void FromConnectData_NullSchemaWithMixedArray_WritesANullSchemaAndInfersEachElement()
    {
        Assert.Equal(
            """{"schema":null,"payload":[1,"string",true]}""",
            AsText(_converter.FromConnectData(Topic, null, new List<object?> { 1, "string", true })));
    }

    [Fact]
    public void FromConnectData_NullSchemaWithMixedKeyMap_WritesPairs()
    {
        var map = new Dictionary<object, object?> { ["string"] = 12, [52] = "string", [false] = true };

        Assert.Equal(
            """{"schema":null,"payload":[["string",12],[52,"string"],[false,true]]}""",
            AsText(_converter.FromConnectData(Topic, null, map)));
    }

    [Fact]
    public void FromConnectData_SchemasDisabled_WritesOnlyThePayload()
    {
        var converter = Schemaless();

        Assert.Equal("true", AsText(converter.FromConnectData(Topic, null, true)));
        Assert.Equal("""{"key1":12,"key2":"string","key3":true}""",
            AsText(converter.FromConnectData(Topic, null, new Dictionary<string, object?> { ["key1"] = 12, ["key2"] = "string", ["key3"] = true })));
        Assert.Equal("null", AsText(converter.FromConnectData(Topic, Schema.OptionalString, null)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FromConnectData_NullSchemaAndNullValue_WritesATombstone(bool schemasEnabled)
    {
        var converter = Converter(("schemas.enable", schemasEnabled ? "true" : "false"));

        Assert.Null(converter.FromConnectData(Topic, null, null));
    }

    [Fact]
    public void FromConnectData_StringsNeedingEscapes_EscapesOnlyWhatJacksonEscapes()
    {
        var converter = Schemaless();

        Assert.Equal("\"q\\\" b\\\\ n\\n t\\t r\\r b\\b f\\f u\\u0001\\u001F / <>&' é 😀 \u007f\"",
            AsText(converter.FromConnectData(Topic, Schema.String, "q\" b\\ n\n t\t r\r b\b f\f u\u0001\u001f / <>&' é 😀 \u007f")));
    }

    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(100.0, "100.0")]
    [InlineData(0.001, "0.001")]
    [InlineData(0.0001, "1.0E-4")]
    [InlineData(1234567.0, "1234567.0")]
    [InlineData(12345678.0, "1.2345678E7")]
    [InlineData(1e23, "1.0E23")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(double.MaxValue, "1.7976931348623157E308")]
    [InlineData(double.Epsilon, "4.9E-324")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(double.NaN, "\"NaN\"")]
    [InlineData(double.NegativeInfinity, "\"-Infinity\"")]
    public void FromConnectData_Doubles_WritesJavasDoubleToString(double value, string expected)
    {
        Assert.Equal(expected, AsText(Schemaless().FromConnectData(Topic, Schema.Float64, value)));
    }

    [Fact]
    public void FromConnectData_DoublesOfEveryMagnitude_AreWrittenAsJavasGeneralLayoutWritesThem()
    {
        // Values between 10^-3 and 10^7 take a shorter path than the others: both must print what Java prints.
        var random = new Random(20261206);
        var values = new List<double> { 1e-3, -1e-3, 0.0010000000000000002, 9999999.999999998, -9999999.999999998, 1e7, 0.000999999, 5e-324, 123.0, 2.5 };
        for (var i = 0; i < 20_000; i++)
        {
            var exponent = random.Next(-8, 12);
            values.Add((random.NextDouble() - 0.5) * Math.Pow(10, exponent));
            values.Add(Math.Round(random.NextDouble() * Math.Pow(10, random.Next(0, 8)), random.Next(0, 4)));
        }

        var converter = Schemaless();
        foreach (var value in values)
        {
            Assert.Equal(Grains.Connect.Api.Text.JavaNumberFormat.Double(value), AsText(converter.FromConnectData(Topic, Schema.Float64, value)));
        }
    }

    [Fact]
    public void FromConnectData_RecordsOneAfterAnother_EachGetOnlyTheirOwnBytes()
    {
        var schema = SchemaBuilder.Struct().Field("id", Schema.Int64).Field("name", Schema.String).Build();

        var first = AsText(_converter.FromConnectData(Topic, schema, new Struct(schema).Put("id", 1234567890123L).Put("name", new string('x', 300))));
        var second = AsText(_converter.FromConnectData(Topic, schema, new Struct(schema).Put("id", -7L).Put("name", "y")));

        Assert.EndsWith("\"payload\":{\"id\":1234567890123,\"name\":\"" + new string('x', 300) + "\"}}", first);
        Assert.EndsWith("""
            "payload":{"id":-7,"name":"y"}}
            """, second);
        Assert.StartsWith("""{"schema":{"type":"struct","fields":[""", second);
    }

    [Fact]
    public void FromConnectData_ARecordThatFailsHalfWritten_LeavesNothingInTheNext()
    {
        var schema = SchemaBuilder.Struct().Field("id", Schema.Int64).Field("name", Schema.String).Build();

        Assert.Throws<DataException>(() => _converter.FromConnectData(Topic, schema, new Struct(schema).Put("id", 1L).Put("name", "bad \ud800 surrogate")));
        var next = AsText(_converter.FromConnectData(Topic, schema, new Struct(schema).Put("id", 2L).Put("name", "ok")));

        Assert.StartsWith("""{"schema":{"type":"struct","fields":[""", next);
        Assert.EndsWith("""
            "payload":{"id":2,"name":"ok"}}
            """, next);
        Assert.DoesNotContain("bad", next);
    }

    [Theory]
    [InlineData(0.3f, "0.3")]
    [InlineData(1e10f, "1.0E10")]
    [InlineData(float.MaxValue, "3.4028235E38")]
    [InlineData(float.Epsilon, "1.4E-45")]
    [InlineData(16777216f, "1.6777216E7")]
    public void FromConnectData_Floats_WritesJavasFloatToString(float value, string expected)
    {
        Assert.Equal(expected, AsText(Schemaless().FromConnectData(Topic, Schema.Float32, value)));
    }

    [Fact]
    public void FromConnectData_ValueNotMatchingSchema_ThrowsDataException()
    {
        var error = Assert.Throws<DataException>(() => _converter.FromConnectData(Topic, Schema.Float64, true));

        Assert.StartsWith("Invalid type for FLOAT64:", error.Message);
    }

    [Fact]
    public void FromConnectData_RequiredNullWithoutDefault_ThrowsKafkasConversionError()
    {
        var error = Assert.Throws<DataException>(() => _converter.FromConnectData(Topic, Schema.String, null));

        Assert.Equal("Conversion error: null value for field that is required and has no default value", error.Message);
    }

    [Fact]
    public void FromConnectData_DecimalWithoutSchema_ThrowsBecauseItHasNoSchemaType()
    {
        Assert.Throws<DataException>(() => _converter.FromConnectData(Topic, null, 1.56m));
    }

    [Fact]
    public void FromConnectData_StructWithAnotherSchema_ThrowsMismatchingSchema()
    {
        var schema = SchemaBuilder.Struct().Field("a", Schema.Int32).Build();
        var other = SchemaBuilder.Struct().Field("b", Schema.Int32).Build();

        var error = Assert.Throws<DataException>(() => _converter.FromConnectData(Topic, schema, new Struct(other).Put("b", 1)));

        Assert.Equal("Mismatching schema.", error.Message);
    }

    [Fact]
    public void FromConnectHeader_DelegatesToTheValueForm()
    {
        Assert.Equal(
            """{"schema":{"type":"string","optional":false},"payload":"test-string"}""",
            AsText(_converter.FromConnectHeader(Topic, "headerName", Schema.String, "test-string")));
    }

    [Fact]
    public void FromConnectData_BeforeConfigure_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new Grains.Connect.Converters.Json.JsonConverter().FromConnectData(Topic, Schema.Int32, 1));
    }

    [Fact]
    public void DataException_IsAConnectException()
    {
        Assert.IsAssignableFrom<ConnectException>(new DataException("x"));
    }
}

using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Converters.Json;
using static Tributary.Tests.Connect.Converters.Json.JsonConverterFixture;

namespace Tributary.Tests.Connect.Converters.Json;

/// <summary>
/// The converter reads a payload of flat fields straight into its struct once a topic's schema is known (from its
/// second record on). It must give what the document path gives for the same bytes, value or error, and decline
/// whatever it does not read exactly so: each payload here is read by a converter that has just seen the schema (the
/// struct reader's path) and by a new one (the document path), and the struct reader is asked directly whether it
/// takes it.
/// </summary>
public sealed class JsonStructReaderTests
{
    private const string RowSchema =
        """{"type":"struct","name":"row","optional":false,"fields":[""" +
        """{"field":"i8","type":"int8"},{"field":"i16","type":"int16"},{"field":"i32","type":"int32"},{"field":"i64","type":"int64"},""" +
        """{"field":"f32","type":"float"},{"field":"f64","type":"double"},{"field":"b","type":"boolean"},{"field":"s","type":"string"},""" +
        """{"field":"ts","type":"int64","name":"org.apache.kafka.connect.data.Timestamp","version":1},""" +
        """{"field":"d","type":"int32","name":"org.apache.kafka.connect.data.Date","version":1},""" +
        """{"field":"t","type":"int32","name":"org.apache.kafka.connect.data.Time","version":1},""" +
        """{"field":"opt","type":"string","optional":true},{"field":"def","type":"int32","default":7},{"field":"bin","type":"bytes"},""" +
        """{"field":"dec","type":"bytes","name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}}]}""";

    private const string Row =
        """{"i8":1,"i16":2,"i32":3,"i64":4,"f32":1.5,"f64":2.25,"b":true,"s":"x","ts":1700000000123,"d":19000,"t":3600000,"opt":"o","def":5,"bin":"AQID","dec":"ATk="}""";

    public static TheoryData<string, bool> Payloads() => new()
    {
        // Read by the struct reader.
        { Row, true },
        { """ { "dec":"/w==","bin":"","def" : 5 , "opt":null, "t":0,"d":-1,"ts":-1,"s":"y\u00e9\n","b":false,"f64":-0.0,"f32":3e2,"i64":-9223372036854775808,"i32":-2147483648,"i16":-32768,"i8":-128 } """, true },
        { Row.Replace("\"bin\":\"AQID\"", "\"bin\":\"\\u0041QID\""), true },
        { Row.Replace("\"def\":5", "\"def\":null"), true },
        { Row.Replace(",\"def\":5", ""), true },
        { Row.Replace(",\"opt\":\"o\"", ""), true },
        { Row.Replace("\"i32\":3", "\"i32\":3,\"extra\":{\"deep\":[1,{\"x\":null}]},\"i32\":9"), true },
        { Row.Replace("\"opt\":\"o\"", "\"opt\":\"o\",\"opt\":null"), true },
        { Row.Replace("\"i8\":1", "\"i8\":300").Replace("\"i16\":2", "\"i16\":70000").Replace("\"i32\":3", "\"i32\":1099511627776"), true },
        { Row.Replace("\"f64\":2.25", "\"f64\":1e400").Replace("\"f32\":1.5", "\"f32\":1e-50"), true },
        { Row.Replace("\"i32\":3", "\"\\u0069\\u0033\\u0032\":3"), true },
        { Row.Replace("\"t\":3600000", "\"t\":86400000"), true },
        // Left to the document path, which reads them (Jackson's numbers) or fails as Kafka does.
        { Row.Replace("\"i32\":3", "\"i32\":3.9"), false },
        { Row.Replace("\"i64\":4", "\"i64\":4e3"), false },
        { Row.Replace("\"i64\":4", "\"i64\":00004"), false },
        { Row.Replace("\"i64\":4", "\"i64\":18446744073709551621"), false },
        { Row.Replace("\"ts\":1700000000123", "\"ts\":1.7e12"), false },
        { Row.Replace("\"f64\":2.25", "\"f64\":\"NaN\""), false },
        { Row.Replace("\"f32\":1.5", "\"f32\":\"-Infinity\""), false },
        { Row.Replace("\"b\":true", "\"b\":\"true\""), false },
        { Row.Replace("\"s\":\"x\"", "\"s\":12"), false },
        { Row.Replace("\"i16\":2", "\"i16\":\"2\""), false },
        { Row.Replace("\"i16\":2", "\"i16\":{}"), false },
        { Row.Replace("\"bin\":\"AQID\"", "\"bin\":\"not base64!\""), false },
        { Row.Replace("\"bin\":\"AQID\"", "\"bin\":12"), false },
        { Row.Replace("\"dec\":\"ATk=\"", "\"dec\":3.13"), false },
        { Row.Replace("\"dec\":\"ATk=\"", "\"dec\":\"A\""), false },
        { Row.Replace("\"i8\":1", "\"i8\":null"), false },
        { Row.Replace("\"s\":\"x\",", ""), false },
        { Row.Replace("\"t\":3600000", "\"t\":86400001"), false },
        { Row.Replace("\"t\":3600000", "\"t\":-1"), false },
        { Row.Replace("\"d\":19000", "\"d\":3000000"), false },
        { Row.Replace("\"ts\":1700000000123", "\"ts\":253402300800000"), false },
        { Row + " x", false },
        { Row.Replace("}", ",}"), false },
        { "[1,2]", false },
        { "null", false },
        { "\"row\"", false },
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void APayload_ReadStraightIntoItsStruct_IsWhatTheDocumentPathReads(string payload, bool structReaderReadsIt)
    {
        var record = Bytes($$"""{"schema":{{RowSchema}},"payload":{{payload}}}""");
        var primed = Converter();
        primed.ToConnectData(Topic, Bytes($$"""{"schema":{{RowSchema}},"payload":{{Row}}}"""));

        var expected = Outcome(() => Converter().ToConnectData(Topic, record));
        var actual = Outcome(() => primed.ToConnectData(Topic, record));

        Assert.Equal(expected.Error, actual.Error);
        if (expected.Value is { } value)
        {
            ConnectAssert.Equal(value, actual.Value);
        }

        var schema = Converter().ToConnectData(Topic, Bytes($$"""{"schema":{{RowSchema}},"payload":{{Row}}}""")).Schema;
        var reader = JsonStructReader.For(schema, new JsonConverterConfig(new Dictionary<string, string> { ["converter.type"] = "value" }));
        Assert.NotNull(reader);
        Assert.Equal(structReaderReadsIt, reader.TryRead(Bytes(payload), out var read));
        if (structReaderReadsIt)
        {
            ConnectAssert.Equal(expected.Value!, new SchemaAndValue(schema, read));
        }
    }

    [Fact]
    public void ReplaceNullWithDefaultOff_LeavesANullFieldNull_OnBothPaths()
    {
        var record = Bytes("""{"schema":{"type":"struct","fields":[{"field":"a","type":"int32","optional":true,"default":7}]},"payload":{"a":null}}""");
        var primed = Converter(("replace.null.with.default", "false"));
        primed.ToConnectData(Topic, record);

        var value = (Struct)primed.ToConnectData(Topic, record).Value!;

        Assert.Null(value.GetWithoutDefault("a"));
    }

    [Fact]
    public void SchemasWithNestedFields_AreLeftToTheDocumentPath()
    {
        var config = new JsonConverterConfig(new Dictionary<string, string> { ["converter.type"] = "value" });
        var nested = SchemaBuilder.Struct().Field("inner", SchemaBuilder.Struct().Field("a", Schema.Int32).Build()).Build();
        var array = SchemaBuilder.Struct().Field("a", SchemaBuilder.Array(Schema.Int32).Build()).Build();
        var map = SchemaBuilder.Struct().Field("a", SchemaBuilder.Map(Schema.String, Schema.Int32).Build()).Build();

        Assert.Null(JsonStructReader.For(nested, config));
        Assert.Null(JsonStructReader.For(array, config));
        Assert.Null(JsonStructReader.For(map, config));
        Assert.Null(JsonStructReader.For(Schema.Int32, config));
    }

    private static (SchemaAndValue? Value, string? Error) Outcome(Func<SchemaAndValue> read)
    {
        try
        {
            return (read(), null);
        }
        catch (Exception e)
        {
            return (null, $"{e.GetType().Name}: {e.Message}");
        }
    }
}

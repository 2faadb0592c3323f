using System.Numerics;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Transforms;
using static Tributary.Tests.Connect.Transforms.TestRecords;

namespace Tributary.Tests.Connect.Transforms;

public sealed class MaskFieldTests
{
    private static readonly Schema StructSchema = SchemaBuilder.Struct()
        .Field("magic", Schema.Int32)
        .Field("bool", Schema.Boolean)
        .Field("byte", Schema.Int8)
        .Field("long", Schema.Int64)
        .Field("double", Schema.Float64)
        .Field("string", Schema.String)
        .Field("date", LogicalTypes.DateSchema)
        .Field("decimal", LogicalTypes.Decimal(2).Build())
        .Field("array", SchemaBuilder.Array(Schema.Int32).Build())
        .Field("map", SchemaBuilder.Map(Schema.String, Schema.String).Build())
        .Field("withDefault", SchemaBuilder.String().Optional().DefaultValue("default").Build())
        .Build();

    private static Struct StructValue() => new Struct(StructSchema)
        .Put("magic", 42).Put("bool", true).Put("byte", (sbyte)42).Put("long", 42L).Put("double", 42d).Put("string", "55.121.20.20")
        .Put("date", new DateTime(2024, 1, 2, 0, 0, 0, DateTimeKind.Utc)).Put("decimal", 42.5m)
        .Put("array", new List<object?> { 1, 2 }).Put("map", new Dictionary<string, object?> { ["k"] = "v" });

    private const string AllFields = "magic,bool,byte,long,double,string,date,decimal,array,map,withDefault";

    [Fact]
    public void MaskField_OnStructValue_ReplacesEachFieldWithItsEmptyValue()
    {
        var result = (Struct)new MaskFieldValue<SourceRecord>().Configured(("fields", AllFields)).Apply(Value(StructSchema, StructValue()))!.Value!;
        Assert.Equal(0, result.Get("magic"));
        Assert.Equal(false, result.Get("bool"));
        Assert.Equal((sbyte)0, result.Get("byte"));
        Assert.Equal(0L, result.Get("long"));
        Assert.Equal(0d, result.Get("double"));
        Assert.Equal("", result.Get("string"));
        Assert.Equal(DateTime.UnixEpoch, result.Get("date"));
        Assert.Equal(0m, result.Get("decimal"));
        Assert.Empty((System.Collections.IList)result.Get("array")!);
        Assert.Empty((System.Collections.IDictionary)result.Get("map")!);
        Assert.Equal("", result.Get("withDefault"));
    }

    [Fact]
    public void MaskField_WithoutReplaceNullWithDefault_LeavesNullFieldsNull()
    {
        var result = (Struct)new MaskFieldValue<SourceRecord>().Configured(("fields", "withDefault"), ("replace.null.with.default", "false"))
            .Apply(Value(StructSchema, StructValue()))!.Value!;
        Assert.Null(result.GetWithoutDefault("withDefault"));
    }

    [Fact]
    public void MaskField_OnSchemalessKey_MasksEntriesByTheirType()
    {
        var key = Map(("int", 42), ("string", "secret"), ("big", new BigInteger(5)), ("list", new List<object?> { 1 }), ("other", "keep"));
        var result = AsMap(new MaskFieldKey<SourceRecord>().Configured(("fields", "int,string,big,list")).Apply(Key(null, key))!.Key);
        Assert.Equal(0, result["int"]);
        Assert.Equal("", result["string"]);
        Assert.Equal(BigInteger.Zero, result["big"]);
        Assert.Empty((System.Collections.IList)result["list"]!);
        Assert.Equal("keep", result["other"]);
    }

    [Fact]
    public void MaskField_WithReplacement_ConvertsItToTheFieldType()
    {
        var result = (Struct)new MaskFieldValue<SourceRecord>().Configured(("fields", "magic,byte,long,double,string,decimal"), ("replacement", "123"))
            .Apply(Value(StructSchema, StructValue()))!.Value!;
        Assert.Equal(123, result.Get("magic"));
        Assert.Equal((sbyte)123, result.Get("byte"));
        Assert.Equal(123L, result.Get("long"));
        Assert.Equal(123d, result.Get("double"));
        Assert.Equal("123", result.Get("string"));
        Assert.Equal(123m, result.Get("decimal"));
    }

    [Theory]
    [InlineData("bool")]
    [InlineData("date")]
    [InlineData("array")]
    [InlineData("map")]
    public void MaskField_ReplacementForNonNumericNonString_ThrowsDataException(string field) =>
        Assert.Throws<DataException>(() => new MaskFieldValue<SourceRecord>().Configured(("fields", field), ("replacement", "123"))
            .Apply(Value(StructSchema, StructValue())));

    [Fact]
    public void MaskField_ReplacementThatIsNotANumber_ThrowsDataException() =>
        Assert.Throws<DataException>(() => new MaskFieldValue<SourceRecord>().Configured(("fields", "magic"), ("replacement", "foo"))
            .Apply(Value(StructSchema, StructValue())));

    [Fact]
    public void MaskField_BytesValue_ThrowsDataException() =>
        Assert.Throws<DataException>(() => new MaskFieldValue<SourceRecord>().Configured(("fields", "b")).Apply(Value(null, Map(("b", new byte[] { 1 })))));

    [Fact]
    public void MaskField_WithEmptyReplacementOrNoFields_ThrowsConfigException()
    {
        Assert.Throws<ConfigException>(() => new MaskFieldValue<SourceRecord>().Configured(("fields", "a"), ("replacement", "")));
        Assert.Throws<ConfigException>(() => new MaskFieldValue<SourceRecord>().Configured(("fields", "")));
    }

    [Fact]
    public void MaskField_OnSchemalessValueThatIsNotAMap_ThrowsDataException() =>
        Assert.Throws<DataException>(() => new MaskFieldValue<SourceRecord>().Configured(("fields", "a")).Apply(Value(null, null)));
}

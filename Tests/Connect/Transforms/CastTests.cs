using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Transforms;
using static Tributary.Tests.Connect.Transforms.TestRecords;

namespace Tributary.Tests.Connect.Transforms;

public sealed class CastTests
{
    [Theory]
    [InlineData("")]
    [InlineData("foo:faketype")]
    [InlineData("foo:array")]
    [InlineData("array")]
    [InlineData("foo:bytes")]
    [InlineData("foo:int8:extra")]
    [InlineData("foo:int8,int32")]
    public void Cast_WithInvalidSpec_ThrowsConfigException(string spec) =>
        Assert.Throws<ConfigException>(() => new CastValue<SourceRecord>().Configured(("spec", spec)));

    [Fact]
    public void Cast_WithoutSpec_ThrowsConfigException() =>
        Assert.Throws<ConfigException>(() => new CastValue<SourceRecord>().Configured());

    [Fact]
    public void Cast_WholeKeyWithSchema_NarrowsTheKeyAndItsSchema()
    {
        var xform = new CastKey<SourceRecord>().Configured(("spec", "int8"));
        var result = xform.Apply(Key(Schema.Int32, 42))!;
        Assert.Equal(Schema.Int8, result.KeySchema);
        Assert.Equal((sbyte)42, result.Key);
    }

    [Theory]
    [InlineData("int8", (sbyte)42)]
    [InlineData("int16", (short)42)]
    [InlineData("int32", 42)]
    [InlineData("int64", 42L)]
    [InlineData("float32", 42f)]
    [InlineData("float64", 42d)]
    [InlineData("boolean", true)]
    [InlineData("string", "42")]
    public void Cast_WholeSchemalessValueFromInt32_GivesEachTargetType(string type, object expected)
    {
        var result = new CastValue<SourceRecord>().Configured(("spec", type)).Apply(Value(null, 42))!;
        Assert.Null(result.ValueSchema);
        Assert.Equal(expected, result.Value);
    }

    [Fact]
    public void Cast_FromStrings_ParsesJavaNumberAndBooleanSyntax()
    {
        Assert.Equal(-42L, new CastValue<SourceRecord>().Configured(("spec", "int64")).Apply(Value(Schema.String, "-42"))!.Value);
        Assert.Equal(1.5d, new CastValue<SourceRecord>().Configured(("spec", "float64")).Apply(Value(Schema.String, "1.5"))!.Value);
        Assert.Equal(true, new CastValue<SourceRecord>().Configured(("spec", "boolean")).Apply(Value(Schema.String, "TRUE"))!.Value);
        Assert.Equal(false, new CastValue<SourceRecord>().Configured(("spec", "boolean")).Apply(Value(Schema.String, "yes"))!.Value);
    }

    [Fact]
    public void Cast_StringOutOfRange_ThrowsDataException() =>
        Assert.Throws<DataException>(() => new CastValue<SourceRecord>().Configured(("spec", "int8")).Apply(Value(Schema.String, "300")));

    [Fact]
    public void Cast_NarrowingNumbers_WrapsLikeJava()
    {
        Assert.Equal((sbyte)44, new CastValue<SourceRecord>().Configured(("spec", "int8")).Apply(Value(null, 300))!.Value);
        Assert.Equal(int.MaxValue, new CastValue<SourceRecord>().Configured(("spec", "int32")).Apply(Value(null, 1e20))!.Value);
        Assert.Equal(false, new CastValue<SourceRecord>().Configured(("spec", "boolean")).Apply(Value(null, 0.5))!.Value);
    }

    [Fact]
    public void Cast_FloatingToString_WritesJavaDoubleText()
    {
        var xform = new CastValue<SourceRecord>().Configured(("spec", "string"));
        Assert.Equal("42.0", xform.Apply(Value(null, 42d))!.Value);
        Assert.Equal("1.0E10", xform.Apply(Value(null, 1e10))!.Value);
        Assert.Equal("1.5", xform.Apply(Value(null, 1.5f))!.Value);
    }

    [Fact]
    public void Cast_BytesToString_WritesBase64()
    {
        var result = new CastValue<SourceRecord>().Configured(("spec", "string")).Apply(Value(Schema.Bytes, new byte[] { 1, 2, 3 }))!;
        Assert.Equal("AQID", result.Value);
        Assert.Equal(Schema.String, result.ValueSchema);
    }

    [Fact]
    public void Cast_BytesToNumber_ThrowsDataException() =>
        Assert.Throws<DataException>(() => new CastValue<SourceRecord>().Configured(("spec", "int32")).Apply(Value(Schema.Bytes, new byte[] { 1 })));

    [Fact]
    public void Cast_SchemalessValueOfUnsupportedType_ThrowsDataException() =>
        Assert.Throws<DataException>(() => new CastValue<SourceRecord>().Configured(("spec", "int32")).Apply(Value(null, DateTime.UnixEpoch)));

    [Fact]
    public void Cast_StructFields_CastsNamedFieldsAndKeepsTheRest()
    {
        var schema = SchemaBuilder.Struct()
            .Field("int8", Schema.Int8)
            .Field("int32", SchemaBuilder.Int32().DefaultValue(2).Build())
            .Field("optional", Schema.OptionalInt64)
            .Field("string", Schema.String)
            .Field("timestamp", LogicalTypes.TimestampSchema)
            .Field("untouched", Schema.String)
            .Build();
        var value = new Struct(schema).Put("int8", (sbyte)8).Put("int32", 32).Put("string", "42")
            .Put("timestamp", LogicalTypes.ToTimestamp(1000)).Put("untouched", "x");
        var xform = new CastValue<SourceRecord>().Configured(("spec", "int8:int32,int32:string,optional:int32,string:int64,timestamp:int64"));

        var result = xform.Apply(Value(schema, value))!;

        var updated = Assert.IsType<Struct>(result.Value);
        Assert.Equal(8, updated.Get("int8"));
        Assert.Equal("32", updated.Get("int32"));
        Assert.Equal("2", result.ValueSchema!.Field("int32")!.Schema.DefaultValue);
        Assert.True(result.ValueSchema.Field("optional")!.Schema.IsOptional);
        Assert.Null(updated.Get("optional"));
        Assert.Equal(42L, updated.Get("string"));
        Assert.Equal(1000L, updated.Get("timestamp"));
        Assert.Equal("x", updated.Get("untouched"));
    }

    [Fact]
    public void Cast_LogicalTypesToString_WritesIsoText()
    {
        var schema = SchemaBuilder.Struct()
            .Field("date", LogicalTypes.DateSchema)
            .Field("time", LogicalTypes.TimeSchema)
            .Field("timestamp", LogicalTypes.TimestampSchema)
            .Build();
        var value = new Struct(schema)
            .Put("date", new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc))
            .Put("time", LogicalTypes.ToTime(3_723_004))
            .Put("timestamp", new DateTime(2024, 3, 1, 1, 2, 3, 4, DateTimeKind.Utc));
        var result = (Struct)new CastValue<SourceRecord>().Configured(("spec", "date:string,time:string,timestamp:string"))
            .Apply(Value(schema, value))!.Value!;
        Assert.Equal("2024-03-01", result.Get("date"));
        Assert.Equal("01:02:03.004Z", result.Get("time"));
        Assert.Equal("2024-03-01T01:02:03.004Z", result.Get("timestamp"));
    }

    [Fact]
    public void Cast_SchemalessMap_CastsNamedEntries()
    {
        var result = new CastValue<SourceRecord>().Configured(("spec", "a:string,b:int16"))
            .Apply(Value(null, Map(("a", 1), ("b", "2"), ("c", true))))!;
        var map = AsMap(result.Value);
        Assert.Equal("1", map["a"]);
        Assert.Equal((short)2, map["b"]);
        Assert.Equal(true, map["c"]);
    }

    [Fact]
    public void Cast_SchemalessValueThatIsNotAMap_ThrowsDataException() =>
        Assert.Throws<DataException>(() => new CastValue<SourceRecord>().Configured(("spec", "a:string")).Apply(Value(null, 42)));

    [Fact]
    public void Cast_NullValue_PassesThrough()
    {
        var record = Value(Schema.OptionalInt32, null);
        Assert.Same(record, new CastValue<SourceRecord>().Configured(("spec", "int8")).Apply(record));
    }

    [Fact]
    public void Cast_SameSchemaTwice_ReusesTheDerivedSchema()
    {
        var schema = SchemaBuilder.Struct().Field("a", Schema.Int32).Build();
        var xform = new CastValue<SourceRecord>().Configured(("spec", "a:int64"));
        var first = xform.Apply(Value(schema, new Struct(schema).Put("a", 1)))!;
        var second = xform.Apply(Value(schema, new Struct(schema).Put("a", 2)))!;
        Assert.Same(first.ValueSchema, second.ValueSchema);
    }

    [Fact]
    public void Cast_WithoutReplaceNullWithDefault_KeepsNull()
    {
        var schema = SchemaBuilder.Struct().Field("a", SchemaBuilder.Int32().Optional().DefaultValue(7).Build()).Build();
        var value = new Struct(schema);
        var withDefault = (Struct)new CastValue<SourceRecord>().Configured(("spec", "a:int64")).Apply(Value(schema, value))!.Value!;
        var withoutDefault = (Struct)new CastValue<SourceRecord>().Configured(("spec", "a:int64"), ("replace.null.with.default", "false"))
            .Apply(Value(schema, value))!.Value!;
        Assert.Equal(7L, withDefault.GetWithoutDefault("a"));
        Assert.Null(withoutDefault.GetWithoutDefault("a"));
    }
}

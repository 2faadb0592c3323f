using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Transforms;
using static Tributary.Tests.Connect.Transforms.TestRecords;

namespace Tributary.Tests.Connect.Transforms;

public sealed class HoistFieldTests
{
    [Fact]
    public void HoistField_OnSchemalessKey_WrapsItInAMap()
    {
        var result = new HoistFieldKey<SourceRecord>().Configured(("field", "magic")).Apply(Key(null, 42))!;
        Assert.Null(result.KeySchema);
        Assert.Equal(42, AsMap(result.Key)["magic"]);
    }

    [Fact]
    public void HoistField_OnValueWithSchema_WrapsItInAStruct()
    {
        var result = new HoistFieldValue<SourceRecord>().Configured(("field", "magic")).Apply(Value(Schema.Int32, 42))!;
        Assert.Equal(SchemaType.Struct, result.ValueSchema!.Type);
        Assert.Equal(Schema.Int32, result.ValueSchema.Field("magic")!.Schema);
        Assert.Equal(42, ((Struct)result.Value!).Get("magic"));
    }

    [Fact]
    public void HoistField_OnNullValueWithOptionalSchema_WrapsNull()
    {
        var result = new HoistFieldValue<SourceRecord>().Configured(("field", "magic")).Apply(Value(Schema.OptionalInt32, null))!;
        Assert.Null(((Struct)result.Value!).Get("magic"));
    }

    [Fact]
    public void HoistField_WithoutField_ThrowsConfigException() =>
        Assert.Throws<ConfigException>(() => new HoistFieldValue<SourceRecord>().Configured());
}

using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Transforms;
using static Tributary.Tests.Connect.Transforms.TestRecords;

namespace Tributary.Tests.Connect.Transforms;

public sealed class InsertFieldTests
{
    private static readonly (string, string)[] AllFields =
    [
        ("topic.field", "topic_field!"), ("partition.field", "partition_field"), ("offset.field", "offset_field!"),
        ("timestamp.field", "timestamp_field?"), ("static.field", "instance_id"), ("static.value", "my-instance-id"),
    ];

    [Fact]
    public void InsertField_OnSchemalessValue_AddsTopicAndStaticFields()
    {
        var xform = new InsertFieldValue<SourceRecord>().Configured(("topic.field", "topic_field!"), ("static.field", "instance_id"), ("static.value", "my-instance-id"));
        var result = xform.Apply(Value(null, Map(("magic", 42L)), topic: "test"))!;
        var map = AsMap(result.Value);
        Assert.Equal(42L, map["magic"]);
        Assert.Equal("test", map["topic_field"]);
        Assert.Equal("my-instance-id", map["instance_id"]);
    }

    [Fact]
    public void InsertField_OnSinkRecordWithSchema_AddsEveryMetadataField()
    {
        var schema = SchemaBuilder.Struct().WithName("name").WithVersion(1).WithDoc("doc").Field("magic", Schema.OptionalInt64).Build();
        var record = Sink(schema, new Struct(schema).Put("magic", 42L), offset: 7, timestamp: 1_000);
        var result = new InsertFieldValue<SinkRecord>().Configured(AllFields).Apply(record)!;

        var updatedSchema = result.ValueSchema!;
        Assert.Equal("name", updatedSchema.Name);
        Assert.Equal(1, updatedSchema.Version);
        Assert.Equal("doc", updatedSchema.Doc);
        Assert.Equal(Schema.String, updatedSchema.Field("topic_field")!.Schema);
        Assert.Equal(Schema.OptionalInt32, updatedSchema.Field("partition_field")!.Schema);
        Assert.Equal(Schema.Int64, updatedSchema.Field("offset_field")!.Schema);
        Assert.True(updatedSchema.Field("timestamp_field")!.Schema.IsOptional);
        Assert.Equal(LogicalTypes.TimestampName, updatedSchema.Field("timestamp_field")!.Schema.Name);
        Assert.Equal(Schema.OptionalString, updatedSchema.Field("instance_id")!.Schema);

        var value = (Struct)result.Value!;
        Assert.Equal(42L, value.Get("magic"));
        Assert.Equal("test", value.Get("topic_field"));
        Assert.Equal(0, value.Get("partition_field"));
        Assert.Equal(7L, value.Get("offset_field"));
        Assert.Equal(LogicalTypes.ToTimestamp(1_000), value.Get("timestamp_field"));
        Assert.Equal("my-instance-id", value.Get("instance_id"));
    }

    [Fact]
    public void InsertField_OnSchemalessSinkKey_AddsOffsetAndTimestampAsNumbers()
    {
        var record = new SinkRecord("test", 3, null, Map(("k", 1)), null, null, 9, 1_234);
        var result = new InsertFieldKey<SinkRecord>().Configured(("offset.field", "o"), ("timestamp.field", "t")).Apply(record)!;
        var key = AsMap(result.Key);
        Assert.Equal(9L, key["o"]);
        Assert.Equal(1_234L, key["t"]);
    }

    [Fact]
    public void InsertField_OffsetOnSourceRecord_ThrowsDataException() =>
        Assert.Throws<DataException>(() => new InsertFieldValue<SourceRecord>().Configured(("offset.field", "o")).Apply(Value(null, Map())));

    [Fact]
    public void InsertField_OnSchemalessValueThatIsNotAMap_ThrowsDataException() =>
        Assert.Throws<DataException>(() => new InsertFieldValue<SourceRecord>().Configured(("topic.field", "t")).Apply(Value(null, 42)));

    [Fact]
    public void InsertField_OnTombstone_PassesThrough()
    {
        var record = Value(null, null);
        Assert.Same(record, new InsertFieldValue<SourceRecord>().Configured(("topic.field", "t")).Apply(record));
    }

    [Fact]
    public void InsertField_WithNothingToInsert_ThrowsConfigException() =>
        Assert.Throws<ConfigException>(() => new InsertFieldValue<SourceRecord>().Configured());

    [Fact]
    public void InsertField_StaticFieldWithoutValue_ThrowsConfigException() =>
        Assert.Throws<ConfigException>(() => new InsertFieldValue<SourceRecord>().Configured(("static.field", "s")));

    [Fact]
    public void InsertField_WithoutReplaceNullWithDefault_KeepsNullFields()
    {
        var schema = SchemaBuilder.Struct().Field("a", SchemaBuilder.String().Optional().DefaultValue("d").Build()).Build();
        var result = new InsertFieldValue<SourceRecord>().Configured(("topic.field", "t"), ("replace.null.with.default", "false"))
            .Apply(Value(schema, new Struct(schema)))!;
        Assert.Null(((Struct)result.Value!).GetWithoutDefault("a"));
    }
}

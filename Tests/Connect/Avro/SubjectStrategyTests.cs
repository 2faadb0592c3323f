using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Avro;
using Tributary.Tests.Connect.Avro.Support;

namespace Tributary.Tests.Connect.Avro;

/// <summary>Where schemas are registered (Confluent's subject name strategies) and how they are chosen without registering.</summary>
public sealed class SubjectStrategyTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private static readonly Schema Customer = SchemaBuilder.Struct().WithName("com.example.Customer").Field("id", Schema.Int32).Build();

    private static Struct CustomerValue(int id) => new Struct(Customer).Put("id", id);

    [Theory]
    [InlineData("io.confluent.kafka.serializers.subject.TopicNameStrategy", "strategy-topic", "strategy-topic-value")]
    [InlineData("io.confluent.kafka.serializers.subject.RecordNameStrategy", "strategy-record", "com.example.Customer")]
    [InlineData("io.confluent.kafka.serializers.subject.TopicRecordNameStrategy", "strategy-topic-record", "strategy-topic-record-com.example.Customer")]
    public async Task ValueSchemas_AreRegisteredUnderTheStrategysSubject(string strategy, string topic, string subject)
    {
        using var converter = registry.Converter(false, (AvroConverterConfig.ValueSubjectNameStrategyConfig, strategy));

        var bytes = converter.FromConnectData(topic, Customer, CustomerValue(5));
        var read = converter.ToConnectData(topic, bytes);

        using var client = registry.Client();
        Assert.Contains(subject, await client.GetAllSubjectsAsync());
        Assert.Equal(5, ((Struct)read.Value!).Get("id"));
        Assert.Equal(1, read.Schema!.Version);
    }

    [Fact]
    public async Task SchemasWrittenToTopicsInTurn_AreEachRegisteredUnderEachTopicsSubject_RecordAfterRecord()
    {
        var other = SchemaBuilder.Struct().WithName("com.example.Customer").Field("id", Schema.Int32).Field("name", Schema.OptionalString).Build();
        using var client = registry.Client();
        using var converter = registry.Converter();

        var written = new List<(string Topic, Schema Schema, byte[] Bytes)>();
        foreach (var (topic, schema) in new[] { ("turns-a", Customer), ("turns-a", Customer), ("turns-b", Customer), ("turns-b", Customer), ("turns-a", other), ("turns-a", Customer) })
        {
            var value = new Struct(schema).Put("id", written.Count);
            written.Add((topic, schema, converter.FromConnectData(topic, schema, value)!));
        }

        foreach (var (topic, schema, bytes) in written)
        {
            var id = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1, 4));
            var registered = await client.GetSchemaBySubjectAndIdAsync(topic + "-value", id);
            Assert.Equal(schema.Fields.Count, System.Text.Json.JsonDocument.Parse(registered.SchemaString).RootElement.GetProperty("fields").GetArrayLength());
            Assert.Equal((await client.LookupSchemaAsync(topic + "-value", registered, ignoreDeletedSchemas: true, normalize: false)).Id, id);
        }

        var ids = written.Select(w => System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(w.Bytes.AsSpan(1, 4))).ToArray();
        Assert.NotEqual(ids[0], ids[4]);
        Assert.Equal(ids[0], ids[5]);
        Assert.Equal([0, 1, 2, 3, 4, 5], written.Select(w => (int)((Struct)converter.ToConnectData(w.Topic, w.Bytes).Value!).Get("id")!));
    }

    [Fact]
    public async Task KeyStrategy_NamesTheKeySubject()
    {
        using var converter = registry.Converter(true, (AvroConverterConfig.KeySubjectNameStrategyConfig, "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"));

        converter.FromConnectData("key-strategy", Customer, CustomerValue(1));

        using var client = registry.Client();
        Assert.Contains("key-strategy-com.example.Customer", await client.GetAllSubjectsAsync());
    }

    [Fact]
    public void RecordStrategies_RefuseNonRecordSchemas()
    {
        using var converter = registry.Converter(false, (AvroConverterConfig.ValueSubjectNameStrategyConfig, "io.confluent.kafka.serializers.subject.RecordNameStrategy"));

        var error = Assert.Throws<DataException>(() => converter.FromConnectData("not-a-record", Schema.String, "x"));

        Assert.Contains("must only be a record schema", error.Message);
    }

    [Fact]
    public void UnknownStrategy_IsAConfigError()
    {
        Assert.Throws<ConfigException>(() => registry.Converter(false, (AvroConverterConfig.ValueSubjectNameStrategyConfig, "com.example.Nope")));
    }

    [Fact]
    public void WithoutAutoRegister_TheSchemaMustBeRegisteredAlready()
    {
        using var writer = registry.Converter();
        using var lookup = registry.Converter(false, (AvroConverterConfig.AutoRegisterSchemasConfig, "false"));

        Assert.Throws<DataException>(() => lookup.FromConnectData("no-auto", Customer, CustomerValue(1)));
        var registered = writer.FromConnectData("no-auto", Customer, CustomerValue(1))!;
        var looked = lookup.FromConnectData("no-auto", Customer, CustomerValue(1))!;

        Assert.Equal(registered, looked);
    }

    [Fact]
    public void UseLatestVersion_WritesWithTheSubjectsLatestSchema()
    {
        var v1 = SchemaBuilder.Struct().WithName("com.example.Latest").Field("id", Schema.Int32).Build();
        var v2 = SchemaBuilder.Struct().WithName("com.example.Latest").Field("id", Schema.Int32).Field("name", Schema.OptionalString).Build();
        using var writer = registry.Converter();
        writer.FromConnectData("latest", v1, new Struct(v1).Put("id", 1));
        var latestBytes = writer.FromConnectData("latest", v2, new Struct(v2).Put("id", 2))!;
        using var latest = registry.Converter(false, (AvroConverterConfig.AutoRegisterSchemasConfig, "false"), (AvroConverterConfig.UseLatestVersionConfig, "true"));

        var bytes = latest.FromConnectData("latest", v2, new Struct(v2).Put("id", 3).Put("name", "n"))!;

        Assert.Equal(latestBytes[..5], bytes[..5]);
        var read = latest.ToConnectData("latest", bytes);
        Assert.Equal("n", ((Struct)read.Value!).Get("name"));
    }
}

using Tributary.Grains.SchemaRegistry;
using Tributary.Grains.SchemaRegistry.Avro;

namespace Tributary.Tests.SchemaRegistry;

/// <summary>Parsing Avro schemas: what is refused as invalid, references, stored text and identity.</summary>
public sealed class AvroParsingTests
{
    private static readonly AvroFormat Avro = new();

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"type\":\"record\",\"name\":\"R\"}")]
    [InlineData("{\"type\":\"nosuchtype\"}")]
    [InlineData("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"Missing\"}]}")]
    [InlineData("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\",\"default\":\"x\"}]}")]
    [InlineData("{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":[\"null\",\"int\"],\"default\":\"x\"}]}")]
    [InlineData("{\"type\":\"enum\",\"name\":\"E\",\"symbols\":[\"A\"],\"default\":\"B\"}")]
    [InlineData("{\"type\":\"fixed\",\"name\":\"F\"}")]
    [InlineData("")]
    public void InvalidSchemas_AreRefused(string schema) =>
        Assert.Throws<InvalidSchemaException>(() => Avro.Parse(schema, [], normalize: false));

    [Fact]
    public void TheSameSchemaWrittenDifferently_HasOneIdentity_ADifferentDefaultAnother()
    {
        var compact = Avro.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":1}]}""", [], false);
        var spaced = Avro.Parse("""
            { "name": "R", "type": "record", "doc": "documented",
              "fields": [ { "type": "int", "name": "a", "default": 1, "doc": "also" } ] }
            """, [], false);
        var otherDefault = Avro.Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":2}]}""", [], false);

        Assert.Equal(compact.Identity, spaced.Identity);
        Assert.NotEqual(compact.Identity, otherDefault.Identity);
        // As Java Avro's Schema.toString() writes it, which Confluent's registry stores.
        Assert.Equal("""{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":1}]}""", compact.Text);
    }

    [Fact]
    public void ATypeFromAReferencedSchema_CanBeUsed_AndTheTextKeepsTheReference()
    {
        var address = new ResolvedReference("com.example.Address", "address-value", 1,
            """{"type":"record","name":"Address","namespace":"com.example","fields":[{"name":"street","type":"string"}]}""", []);
        const string customer = """{"type":"record","name":"Customer","namespace":"com.example","fields":[{"name":"home","type":"com.example.Address"}]}""";

        var parsed = Avro.Parse(customer, [address], normalize: false);

        // The referenced type stays a name, the shortest that resolves in the schema's namespace, as Java writes it.
        Assert.Equal("""{"type":"record","name":"Customer","namespace":"com.example","fields":[{"name":"home","type":"Address"}]}""", parsed.Text);
        Assert.Contains("address-value/1", parsed.Identity, StringComparison.Ordinal);
        Assert.Throws<InvalidSchemaException>(() => Avro.Parse(customer, [], normalize: false));
    }

    [Fact]
    public void ReferencesOfReferences_AreResolvedFirst()
    {
        var country = new ResolvedReference("Country", "country", 1, """{"type":"enum","name":"Country","symbols":["NL","FR"]}""", []);
        var address = new ResolvedReference("Address", "address", 2,
            """{"type":"record","name":"Address","fields":[{"name":"country","type":"Country"}]}""", [country]);

        var parsed = Avro.Parse("""{"type":"record","name":"Customer","fields":[{"name":"home","type":"Address"}]}""", [address], false);

        Assert.Equal("AVRO", parsed.Type);
    }

    [Fact]
    public void ASchemaNestedAHundredRecordsDeep_IsParsed_AndKeepsItsDepth()
    {
        var schema = DeepSchemas.Records(100);

        var parsed = Avro.Parse(schema, [], normalize: false);

        Assert.True(DeepSchemas.JsonDepth(schema) >= 400);
        Assert.Equal(schema, parsed.Text);
        Assert.Empty(Avro.CheckCanRead(parsed, Avro.Parse(schema, [], normalize: true)));
    }

    [Fact]
    public async Task ASchemaAtTheDepthLimit_IsParsedAndChecked_OnAPoolThreadsStack()
    {
        // 128 nested optional records: 512 levels of JSON, the most a schema may have.
        var schema = DeepSchemas.Records(128);
        Assert.Equal(AvroJson.MaxJsonDepth, DeepSchemas.JsonDepth(schema));

        var problems = await Task.Run(() =>
        {
            var parsed = Avro.Parse(schema, [], normalize: false);
            return Avro.CheckCanRead(parsed, Avro.Parse(schema, [], normalize: true));
        });

        Assert.Empty(problems);
    }

    [Theory]
    [InlineData(129)]
    [InlineData(100_000)]
    public void ASchemaNestedDeeperThanTheLimit_IsRefused_NotAStackOverflow(int records) =>
        Assert.Contains("MaxDepth", Assert.Throws<InvalidSchemaException>(() => Avro.Parse(DeepSchemas.Records(records), [], normalize: false)).Message);
}

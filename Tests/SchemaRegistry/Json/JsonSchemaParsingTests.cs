using Tributary.Grains.SchemaRegistry;
using Tributary.Grains.SchemaRegistry.Avro;
using Tributary.Grains.SchemaRegistry.Json;

namespace Tributary.Tests.SchemaRegistry.Json;

/// <summary>What the registry accepts as a JSON schema, the text it keeps, and when two registrations are the same schema.</summary>
public sealed class JsonSchemaParsingTests
{
    private static readonly JsonSchemaFormat Format = new();

    private static ParsedSchema Parse(string schema, bool normalize = false, params ResolvedReference[] references) =>
        Format.Parse(schema, references, normalize);

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"type":"object",}""")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("""{"type":5}""")]
    [InlineData("""{"type":"strin"}""")]
    [InlineData("""{"type":"string","maxLength":-1}""")]
    [InlineData("""{"type":"string","pattern":"(unclosed"}""")]
    [InlineData("""{"type":"object","properties":{"a":{"$ref":"#/definitions/Missing"}}}""")]
    [InlineData("""{"type":"object","properties":{"a":{"$ref":"other.json"}}}""")]
    [InlineData("""{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","prefixItems":5}""")]
    [InlineData("""{"type":"string","title":"a","title":"b"}""")]
    [InlineData("""{"$schema":"http://json-schema.org/draft-04/schema#","type":"number","multipleOf":0}""")]
    public void ASchemaThatIsNotValidJsonSchema_IsRefused(string schema) =>
        Assert.Throws<InvalidSchemaException>(() => Parse(schema));

    [Theory]
    [InlineData("""{"$schema":"http://json-schema.org/draft-04/schema#","type":"number","maximum":5,"exclusiveMaximum":true}""")]
    [InlineData("""{"$schema":"http://json-schema.org/draft-06/schema#","type":"number","exclusiveMaximum":5}""")]
    [InlineData("""{"$schema":"http://json-schema.org/draft-07/schema#","if":{"type":"string"},"then":{"minLength":1}}""")]
    [InlineData("""{"$schema":"https://json-schema.org/draft/2019-09/schema","type":"object","dependentRequired":{"a":["b"]}}""")]
    [InlineData("""{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array","prefixItems":[{"type":"string"}],"items":false}""")]
    [InlineData("""{"type":"string","maxLength":1e19}""")]
    [InlineData("""{"type":"number","maximum":1e300}""")]
    [InlineData("true")]
    [InlineData("{}")]
    public void EachDraft_IsAccepted(string schema) => Assert.Equal(JsonSchemaFormat.Name, Parse(schema).Type);

    [Fact]
    public void TheKeptText_IsTheDocumentWrittenCompactly_InItsOrder()
    {
        var parsed = Parse("""
            {
              "type": "object",
              "title": "Café <1>",
              "properties": { "b": { "type": "number", "maximum": 1.50 }, "a": { "type": "string" } }
            }
            """);

        Assert.Equal("""{"type":"object","title":"Café <1>","properties":{"b":{"type":"number","maximum":1.50},"a":{"type":"string"}}}""", parsed.Text);
    }

    [Fact]
    public void Normalizing_SortsEveryObjectsMembers_SoThatOrderDoesNotMakeANewSchema()
    {
        const string one = """{"type":"object","properties":{"b":{"type":"string"},"a":{"type":"integer"}}}""";
        const string other = """{"properties":{"a":{"type":"integer"},"b":{"type":"string"}},"type":"object"}""";

        Assert.NotEqual(Parse(one).Identity, Parse(other).Identity);
        Assert.Equal(Parse(one, normalize: true).Identity, Parse(other, normalize: true).Identity);
        Assert.Equal("""{"properties":{"a":{"type":"integer"},"b":{"type":"string"}},"type":"object"}""", Parse(one, normalize: true).Text);
    }

    [Fact]
    public void TheSameTextInAvroAndJson_AreDifferentSchemas() =>
        Assert.NotEqual(new AvroFormat().Parse("""{"type":"string"}""", [], false).Identity, Parse("""{"type":"string"}""").Identity);

    [Fact]
    public void AReference_IsResolvedByItsName_IncludingTheReferencesOfTheReferencedSchema()
    {
        var country = new ResolvedReference("country.json", "country", 1, """{"type":"string","enum":["FR","DE"]}""", []);
        var address = new ResolvedReference(
            "address.json", "address", 2, """{"type":"object","properties":{"street":{"type":"string"},"country":{"$ref":"country.json"}}}""", [country]);
        const string person = """{"type":"object","properties":{"name":{"type":"string"},"home":{"$ref":"address.json"}}}""";

        var parsed = Parse(person, false, address);
        var withOtherVersion = Parse(person, false, address with { Version = 3 });

        Assert.NotEqual(parsed.Identity, withOtherVersion.Identity);
        // A change inside the referenced schema is a change of the referencing one.
        var narrowed = Parse(person, false, address with
        {
            References = [country with { Schema = """{"type":"string","enum":["FR"]}""" }],
        });
        Assert.NotEmpty(Format.CheckCanRead(narrowed, parsed));
        Assert.Empty(Format.CheckCanRead(parsed, narrowed));
    }
}

using Tributary.Grains.SchemaRegistry.Avro;

namespace Tributary.Tests.SchemaRegistry;

/// <summary>Schemas as Java Avro's Schema.toString() writes them, which is what Confluent's registry stores and answers.</summary>
public sealed class JavaSchemaTextTests
{
    [Theory]
    [InlineData(
        """{"namespace": "com.example", "name": "Order", "type": "record", "fields": [{"type": "string", "name": "id", "default": "x", "doc": "the id"}]}""",
        """{"type":"record","name":"Order","namespace":"com.example","fields":[{"name":"id","type":"string","doc":"the id","default":"x"}]}""")]
    [InlineData(
        """{"type":"record","name":"A","namespace":"n","fields":[{"name":"b","type":{"type":"record","name":"B","fields":[{"name":"x","type":"int"}]}},{"name":"b2","type":"n.B"}]}""",
        """{"type":"record","name":"A","namespace":"n","fields":[{"name":"b","type":{"type":"record","name":"B","fields":[{"name":"x","type":"int"}]}},{"name":"b2","type":"B"}]}""")]
    [InlineData(
        """{"type":"record","name":"com.x.R","fields":[{"name":"inner","type":{"type":"record","name":"Plain","namespace":"","fields":[]}},{"name":"other","type":{"type":"record","name":"o.Other","fields":[]}}]}""",
        """{"type":"record","name":"R","namespace":"com.x","fields":[{"name":"inner","type":{"type":"record","name":"Plain","namespace":"","fields":[]}},{"name":"other","type":{"type":"record","name":"Other","namespace":"o","fields":[]}}]}""")]
    public void NamedTypes_AreWrittenInJavasAttributeOrder_WithNamespacesWhereTheyChange(string submitted, string java)
    {
        Assert.Equal(java, JavaSchemaText.Of(submitted));
    }

    [Theory]
    [InlineData("""{"type": {"type": "int"}}""", "\"int\"")]
    [InlineData("""{"logicalType": "timestamp-millis", "type": "long"}""", """{"type":"long","logicalType":"timestamp-millis"}""")]
    [InlineData("""{"type": "bytes", "scale": 2, "logicalType": "decimal", "precision": 9}""", """{"type":"bytes","scale":2,"logicalType":"decimal","precision":9}""")]
    [InlineData("""{"type": "array", "items": "string", "doc": "dropped"}""", """{"type":"array","items":"string"}""")]
    [InlineData("""{"values": "long", "type": "map", "x": true}""", """{"type":"map","values":"long","x":true}""")]
    [InlineData("""["null", {"type": "string", "avro.java.string": "String"}]""", """["null",{"type":"string","avro.java.string":"String"}]""")]
    [InlineData("""{"size": 16, "type": "fixed", "name": "md5", "aliases": ["hash"]}""", """{"type":"fixed","name":"md5","size":16,"aliases":["hash"]}""")]
    public void OtherTypes_AreWrittenAsJavaWritesThem(string submitted, string java)
    {
        Assert.Equal(java, JavaSchemaText.Of(submitted));
    }

    [Fact]
    public void EnumsAndFields_KeepDefaultsOrderAliasesAndProperties_InJavasPlaces()
    {
        var submitted = """
            {"type": "record", "name": "Card", "fields": [
              {"x-field": "kept", "aliases": ["g", "g"], "order": "DESCENDING", "name": "f", "type": "int"},
              {"name": "asc", "type": "int", "order": "ascending"},
              {"name": "suit", "type": {"x-prop": 1, "aliases": ["Color"], "default": "A", "symbols": ["A", "B"], "doc": "a suit", "name": "Suit", "type": "enum"}}
            ]}
            """;

        Assert.Equal(
            """{"type":"record","name":"Card","fields":[{"name":"f","type":"int","order":"descending","aliases":["g"],"x-field":"kept"},{"name":"asc","type":"int"},{"name":"suit","type":{"type":"enum","name":"Suit","doc":"a suit","symbols":["A","B"],"default":"A","x-prop":1,"aliases":["Color"]}}]}""",
            JavaSchemaText.Of(submitted));
    }

    [Theory]
    [InlineData("10", "10")]
    [InlineData("-7", "-7")]
    [InlineData("1e3", "1000.0")]
    [InlineData("1.50", "1.5")]
    [InlineData("0.001", "0.001")]
    [InlineData("0.0001", "1.0E-4")]
    [InlineData("12345678.9", "1.23456789E7")]
    [InlineData("9999999.0", "9999999.0")]
    [InlineData("0.0", "0.0")]
    [InlineData("-2.5e-7", "-2.5E-7")]
    public void Numbers_AreWrittenAsJacksonWritesWhatItParsed(string json, string java)
    {
        Assert.Equal(java, JavaSchemaText.JavaNumber(json));
    }

    [Fact]
    public void Strings_EscapeOnlyQuotesBackslashesAndControlCharacters()
    {
        var submitted = """{"type":"record","name":"R","doc":"say \"hi\"\nnow \u00e9 / \u0001 \\","fields":[]}""";

        Assert.Equal("{\"type\":\"record\",\"name\":\"R\",\"doc\":\"say \\\"hi\\\"\\nnow é / \\u0001 \\\\\",\"fields\":[]}", JavaSchemaText.Of(submitted));
    }
}

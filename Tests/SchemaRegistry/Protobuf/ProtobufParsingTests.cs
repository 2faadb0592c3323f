using Tributary.Grains.SchemaRegistry;
using Tributary.Grains.SchemaRegistry.Protobuf;

namespace Tributary.Tests.SchemaRegistry.Protobuf;

/// <summary>Parsing .proto text and serialized descriptors, identity, normalization, imports and refusals.</summary>
public sealed class ProtobufParsingTests
{
    private static readonly ProtobufFormat Format = new();

    private const string Person = """
        syntax = "proto3";
        package example;

        import "google/protobuf/timestamp.proto";

        option java_package = "com.example";

        // A person.
        message Person {
          string name = 1;
          int32 age = 2 [deprecated = true];
          google.protobuf.Timestamp born = 3;
          map<string, string> tags = 4;
          oneof contact {
            string email = 5;
            string phone = 6;
          }
          optional int64 score = 7;
          repeated Inner inners = 8;
          Kind kind = 9;
          reserved 20 to 30;
          reserved "old";

          message Inner { bytes data = 1; }
          enum Kind { UNKNOWN = 0; ADULT = 1; }
        }

        service People { rpc Get (Person) returns (stream Person); }
        """;

    private static ProtobufParsedSchema Parse(string schema, bool normalize = false, params ResolvedReference[] references) =>
        (ProtobufParsedSchema)Format.Parse(schema, references, normalize);

    [Fact]
    public void Text_IsStoredAsGiven_AndIdentityIgnoresLayoutAndComments()
    {
        var parsed = Parse(Person);
        var relaid = Parse(Person.Replace("// A person.\n", "", StringComparison.Ordinal).Replace("\n  ", "\n      ", StringComparison.Ordinal));

        Assert.Equal(Person, parsed.Text);
        Assert.Equal(parsed.Identity, relaid.Identity);
        Assert.NotEqual(parsed.Identity, Parse(Person.Replace("int32 age = 2", "int64 age = 2", StringComparison.Ordinal)).Identity);
    }

    [Fact]
    public void ASerializedDescriptor_IsStoredAsText_ThatParsesToTheSameSchema()
    {
        var serialized = ProtobufFormat.Serialized(Person, []);
        var fromDescriptor = Parse(serialized);

        Assert.True(ProtobufDescriptors.IsSerialized(serialized));
        Assert.False(ProtobufDescriptors.IsSerialized(fromDescriptor.Text));
        Assert.Contains("map<string, string> tags = 4;", fromDescriptor.Text, StringComparison.Ordinal);
        Assert.Contains("optional int64 score = 7;", fromDescriptor.Text, StringComparison.Ordinal);
        Assert.Contains("rpc Get (.example.Person) returns (stream .example.Person);", fromDescriptor.Text, StringComparison.Ordinal);
        // The text a descriptor is stored as is a schema of its own, equal to the descriptor's.
        Assert.Equal(fromDescriptor.Identity, Parse(fromDescriptor.Text).Identity);
        Assert.Equal(Parse(Person).Identity, fromDescriptor.Identity);
        Assert.Empty(ProtobufSchemaDiff.Compare(Parse(Person), fromDescriptor));
    }

    [Fact]
    public void Normalized_OrdersFieldsOptionsAndImports_SoThatReorderedSchemasAreOne()
    {
        const string a = "syntax = \"proto3\";\nimport \"google/protobuf/timestamp.proto\";\nimport \"google/protobuf/duration.proto\";\noption java_package = \"p\";\noption go_package = \"g\";\nmessage M { int32 b = 2; int32 a = 1; google.protobuf.Timestamp t = 3; google.protobuf.Duration d = 4; }";
        const string b = "syntax = \"proto3\";\nimport \"google/protobuf/duration.proto\";\nimport \"google/protobuf/timestamp.proto\";\noption go_package = \"g\";\noption java_package = \"p\";\nmessage M { int32 a = 1; int32 b = 2; google.protobuf.Timestamp t = 3; google.protobuf.Duration d = 4; }";

        Assert.NotEqual(Parse(a).Identity, Parse(b).Identity);
        Assert.Equal(Parse(a, normalize: true).Identity, Parse(b, normalize: true).Identity);
        Assert.Equal(Parse(a, normalize: true).Text, Parse(b, normalize: true).Text);
        Assert.Equal(Parse(a, normalize: true).Text, Parse(Parse(a, normalize: true).Text, normalize: true).Text);
    }

    [Fact]
    public void CustomOptions_SurviveTheRoundTripThroughADescriptor()
    {
        const string schema = """
            syntax = "proto2";
            package opts;
            import "google/protobuf/descriptor.proto";
            extend google.protobuf.FieldOptions { optional string label = 50001; optional Meta meta = 50002; }
            message Meta { optional string doc = 1; repeated string tags = 2; }
            message M { optional int32 id = 1 [default = 5, (label) = "hi", (meta) = { doc: "d" tags: "a" tags: "b" }]; required string s = 2 [default = "x\"y"]; extensions 100 to 199; }
            """;

        var text = Parse(ProtobufFormat.Serialized(schema, [])).Text;

        Assert.Contains("(opts.label) = \"hi\"", text, StringComparison.Ordinal);
        Assert.Contains("(opts.meta) = { doc: \"d\" tags: \"a\" tags: \"b\" }", text, StringComparison.Ordinal);
        Assert.Contains("default = 5", text, StringComparison.Ordinal);
        Assert.Contains("required string s = 2 [default = \"x\\\"y\"];", text, StringComparison.Ordinal);
        Assert.Contains("extensions 100 to 199;", text, StringComparison.Ordinal);
        Assert.Equal(Parse(schema).Identity, Parse(text).Identity);
    }

    [Fact]
    public void Imports_ResolveThroughReferences_AndTheFilesEveryRegistryKnows()
    {
        var address = new ResolvedReference("shared/address.proto", "shared/address.proto", 1, "syntax = \"proto3\"; package shared; message Address { string street = 1; }", []);
        const string user = "syntax = \"proto3\";\nimport \"shared/address.proto\";\nimport \"confluent/meta.proto\";\nimport \"google/type/date.proto\";\nmessage User { shared.Address home = 1 [(confluent.field_meta) = { doc: \"home\" }]; google.type.Date born = 2; }";

        var parsed = Parse(user, false, address);

        Assert.Equal("User", parsed.File.MessageTypes.Single().Name);
        var missing = Assert.Throws<InvalidSchemaException>(() => Parse(user));
        Assert.Contains("shared/address.proto", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GooglesCommonTypes_AndConfluentsOwn_NeedNoReference()
    {
        const string schema = """
            syntax = "proto3";
            import "google/type/decimal.proto";
            import "google/type/interval.proto";
            import "google/type/localized_text.proto";
            import "google/type/phone_number.proto";
            import "google/type/money.proto";
            import "confluent/type/decimal.proto";
            import "confluent/type/variant.proto";
            message Order {
              google.type.Decimal total = 1;
              google.type.Interval window = 2;
              google.type.LocalizedText note = 3;
              google.type.PhoneNumber phone = 4;
              google.type.Money price = 5;
              confluent.type.Decimal exact = 6;
              confluent.type.Variant extra = 7;
            }
            """;

        var parsed = Parse(schema);

        Assert.Equal(7, parsed.File.MessageTypes.Single().Fields.Count);
        // A value through the JSON codec: the phone number's oneof and the interval's timestamps as Protobuf's JSON maps them.
        var codec = (ISchemaValueCodec)Format;
        var json = codec.Decode(parsed, codec.Encode(parsed, """{"phone":{"e164Number":"+15550100"},"window":{"startTime":"2026-01-01T00:00:00Z"},"total":{"value":"1.50"}}"""));
        using var read = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal("+15550100", read.RootElement.GetProperty("phone").GetProperty("e164Number").GetString());
        Assert.Equal("1.50", read.RootElement.GetProperty("total").GetProperty("value").GetString());
        Assert.Equal("2026-01-01T00:00:00Z", read.RootElement.GetProperty("window").GetProperty("startTime").GetString());
    }

    [Theory]
    [InlineData("syntax = \"proto3\"; message M { int32 a = 1 }")]
    [InlineData("syntax = \"proto3\"; message M { Unknown a = 1; }")]
    [InlineData("syntax = \"proto3\"; message M { int32 a = 1; int32 b = 1; }")]
    [InlineData("not a schema at all")]
    [InlineData("AAAA")]
    public void InvalidSchemas_AreRefused(string schema) =>
        Assert.Throws<InvalidSchemaException>(() => Format.Parse(schema, [], normalize: false));

    [Fact]
    public void DeeplyNestedDeclarations_AreRefusedBeforeTheParserRecurses()
    {
        const int depth = 20_000;
        var schema = "syntax = \"proto3\";" + string.Concat(Enumerable.Repeat("message M {", depth)) + new string('}', depth);

        var refused = Assert.Throws<InvalidSchemaException>(() => Format.Parse(schema, [], normalize: false));
        Assert.Contains("nest deeper", refused.Message, StringComparison.Ordinal);
    }
}

using Confluent.SchemaRegistry;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.SchemaRegistry;

/// <summary>
/// Protobuf schemas through Confluent's .NET registry client and plain HTTP: .proto text with imports as references
/// to other subjects, lookups that see past layout and comments, normalization, evolution refused with Confluent's
/// reasons, invalid schemas refused, and the descriptor form that <c>?format=serialized</c> returns.
/// </summary>
public sealed class ProtobufRegistryTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private const string Money = "syntax = \"proto3\";\npackage shared;\n\nmessage Money {\n  string currency = 1;\n  int64 units = 2;\n}\n";

    private static string Order(string extra = "") => $$"""
        syntax = "proto3";
        package shop;

        import "shared/money.proto";
        import "google/protobuf/timestamp.proto";

        message Order {
          string id = 1;
          shared.Money total = 2;
          google.protobuf.Timestamp placed = 3;
          {{extra}}
        }
        """;

    private CachedSchemaRegistryClient Client() => new(new SchemaRegistryConfig { Url = broker.RegistryUrl });

    [Fact]
    public async Task TextSchemas_WithImportsFromOtherSubjects_AreRegisteredLookedUpAndReturned()
    {
        using var registry = Client();
        var moneyId = await registry.RegisterSchemaAsync("shared/money.proto", new Schema(Money, [], SchemaType.Protobuf));
        var reference = new SchemaReference("shared/money.proto", "shared/money.proto", 1);

        var orderId = await registry.RegisterSchemaAsync("pb-orders-value", new Schema(Order(), [reference], SchemaType.Protobuf));
        var relaid = "// orders\n" + Order().Replace("\n  ", "\n    ", StringComparison.Ordinal);
        var found = await registry.LookupSchemaAsync("pb-orders-value", new Schema(relaid, [reference], SchemaType.Protobuf), ignoreDeletedSchemas: true);
        var again = await registry.RegisterSchemaAsync("pb-orders-value", new Schema(relaid, [reference], SchemaType.Protobuf));
        var stored = await registry.GetSchemaAsync(orderId);

        Assert.NotEqual(moneyId, orderId);
        Assert.Equal((orderId, 1), (found.Id, found.Version));
        Assert.Equal(orderId, again);
        Assert.Equal(SchemaType.Protobuf, stored.SchemaType);
        Assert.Equal(Order(), stored.SchemaString);
        Assert.Equal("shared/money.proto", Assert.Single(stored.References).Subject);
        Assert.Equal([1], await registry.GetSubjectVersionsAsync("pb-orders-value"));
    }

    [Fact]
    public async Task AnIncompatibleEvolution_IsRefusedWith409_AndConfluentsReasons()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        const string v1 = "syntax = \"proto3\";\npackage evolve;\nmessage Event {\n  string id = 1;\n  int64 at = 2;\n}\n";
        const string v2 = "syntax = \"proto3\";\npackage evolve;\nmessage Event {\n  string id = 1;\n  double at = 2;\n}\n";
        await http.PostAsync("/subjects/pb-evolve/versions", new { schema = v1, schemaType = "PROTOBUF" });

        var refused = await http.PostAsync("/subjects/pb-evolve/versions", new { schema = v2, schemaType = "PROTOBUF" });
        var verdict = await http.PostAsync("/compatibility/subjects/pb-evolve/versions/latest?verbose=true", new { schema = v2, schemaType = "PROTOBUF" });
        var added = await http.PostAsync("/subjects/pb-evolve/versions", new { schema = v1.Replace("int64 at = 2;", "int64 at = 2;\n  string source = 3;", StringComparison.Ordinal), schemaType = "PROTOBUF" });

        Assert.Equal(409, refused.Status);
        var message = refused.Body!["message"]!.GetValue<string>();
        Assert.Contains("Schema being registered is incompatible with an earlier schema for subject \"pb-evolve\"", message, StringComparison.Ordinal);
        Assert.Contains("{errorType:\"FIELD_SCALAR_KIND_CHANGED\", description:\"The kind of a SCALAR field at path '#/Event/2' in the new schema does not match its kind in the old schema\"}", message, StringComparison.Ordinal);
        Assert.False(verdict.Body!["is_compatible"]!.GetValue<bool>());
        Assert.Contains("FIELD_SCALAR_KIND_CHANGED", verdict.Body!["messages"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(200, added.Status);
    }

    [Fact]
    public async Task WithNormalize_AReorderedSchemaIsTheOneRegistered()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        const string a = "syntax = \"proto3\";\nmessage Pair {\n  string left = 1;\n  string right = 2;\n  option deprecated = true;\n}\n";
        const string b = "syntax = \"proto3\";\nmessage Pair {\n  option deprecated = true;\n  string right = 2;\n  string left = 1;\n}\n";

        var first = await http.PostAsync("/subjects/pb-normalized/versions?normalize=true", new { schema = a, schemaType = "PROTOBUF" });
        var second = await http.PostAsync("/subjects/pb-normalized/versions?normalize=true", new { schema = b, schemaType = "PROTOBUF" });
        var plain = await http.PostAsync("/subjects/pb-normalized?normalize=false", new { schema = b, schemaType = "PROTOBUF" });

        Assert.Equal(first.Body!["id"]!.GetValue<int>(), second.Body!["id"]!.GetValue<int>());
        Assert.Equal([1], RegistryHttp.Ints((await http.GetAsync("/subjects/pb-normalized/versions")).Body));
        Assert.Equal(404, plain.Status);
    }

    [Fact]
    public async Task FormatSerialized_ReturnsTheDescriptor_WhichIsTheSameSchemaAgain()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        const string schema = "syntax = \"proto3\";\npackage ser;\nimport \"google/protobuf/wrappers.proto\";\nmessage Reading {\n  double value = 1;\n  google.protobuf.StringValue unit = 2;\n  map<string, int32> counts = 3;\n}\n";
        var id = (await http.PostAsync("/subjects/pb-serialized/versions", new { schema, schemaType = "PROTOBUF" })).Body!["id"]!.GetValue<int>();

        var byId = await http.GetAsync($"/schemas/ids/{id}?format=serialized");
        var byVersion = await http.GetAsync("/subjects/pb-serialized/versions/1?format=serialized");
        var serialized = byId.Body!["schema"]!.GetValue<string>();
        var lookup = await http.PostAsync("/subjects/pb-serialized", new { schema = serialized, schemaType = "PROTOBUF" });

        Assert.Equal(serialized, byVersion.Body!["schema"]!.GetValue<string>());
        Assert.Contains("ser.Reading", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(serialized)), StringComparison.Ordinal);
        Assert.Equal(schema, (await http.GetAsync($"/schemas/ids/{id}")).Body!["schema"]!.GetValue<string>());
        Assert.Equal(id, lookup.Body!["id"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("syntax = \"proto3\"; message M { int32 a = 1 }")]
    [InlineData("syntax = \"proto3\"; import \"missing.proto\"; message M { Missing a = 1; }")]
    [InlineData("syntax = \"proto3\"; message M { int32 a = 1; string b = 1; }")]
    public async Task InvalidSchemas_AreRefusedWith42201(string schema)
    {
        using var http = new RegistryHttp(broker.RegistryUrl);

        var refused = await http.PostAsync("/subjects/pb-invalid/versions", new { schema, schemaType = "PROTOBUF" });

        Assert.Equal((422, 42201), (refused.Status, RegistryHttp.ErrorCode(refused)));
    }
}

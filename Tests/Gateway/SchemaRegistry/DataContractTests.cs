using Confluent.SchemaRegistry;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.SchemaRegistry;

/// <summary>
/// Confluent's data contracts: metadata and rule sets stored with versions and read back by Confluent's .NET client,
/// carried to the next version, made by the config's defaults and overrides, found by metadata; and a CEL condition
/// that Confluent's JavaScript serializer evaluates from the registered rule set, refusing a record that breaks it.
/// </summary>
public sealed class DataContractTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private const string User = """{"type":"record","name":"User","fields":[{"name":"name","type":"string"},{"name":"age","type":"int"}]}""";

    private static object AgeRule(string expr = "message.age >= 0") =>
        new { name = "checkAge", kind = "CONDITION", mode = "WRITE", type = "CEL", expr, tags = new[] { "PII" }, @params = new Dictionary<string, string> { ["p"] = "v" } };

    private CachedSchemaRegistryClient Client() => new(new SchemaRegistryConfig { Url = broker.RegistryUrl });

    [Fact]
    public async Task MetadataAndRules_AreStoredWithVersions_CarriedForward_AndFoundByMetadata()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        using var registry = Client();
        var metadata = new { properties = new Dictionary<string, string> { ["owner"] = "team-a" }, tags = new Dictionary<string, string[]> { ["$.name"] = ["PII"] }, sensitive = new[] { "owner" } };

        var first = await http.PostAsync("/subjects/contract-users/versions", new { schema = User, metadata, ruleSet = new { domainRules = new[] { AgeRule() } } });
        var again = await http.PostAsync("/subjects/contract-users/versions", new { schema = User });
        var other = await http.PostAsync("/subjects/contract-users/versions", new { schema = User, metadata = new { properties = new Dictionary<string, string> { ["owner"] = "team-b" } } });

        Assert.Equal(200, first.Status);
        Assert.Equal(first.Body!["id"]!.GetValue<int>(), again.Body!["id"]!.GetValue<int>());
        Assert.NotEqual(first.Body!["id"]!.GetValue<int>(), other.Body!["id"]!.GetValue<int>());
        Assert.Equal([1, 2], await registry.GetSubjectVersionsAsync("contract-users"));

        var v1 = await registry.GetRegisteredSchemaAsync("contract-users", 1);
        Assert.Equal("team-a", v1.Metadata.Properties["owner"]);
        Assert.Equal(["PII"], v1.Metadata.Tags["$.name"]);
        Assert.Equal(["owner"], v1.Metadata.Sensitive);
        var rule = Assert.Single(v1.RuleSet.DomainRules);
        Assert.Equal(("checkAge", RuleKind.Condition, RuleMode.Write, "CEL", "message.age >= 0"), (rule.Name, rule.Kind, rule.Mode, rule.Type, rule.Expr));
        Assert.Equal("v", rule.Params["p"]);
        // Version 2 named only its metadata: its rules are version 1's.
        var v2 = await registry.GetLatestSchemaAsync("contract-users");
        Assert.Equal("team-b", v2.Metadata.Properties["owner"]);
        Assert.Equal("checkAge", Assert.Single(v2.RuleSet.DomainRules).Name);

        Assert.Equal(1, (await registry.GetLatestWithMetadataAsync("contract-users", new Dictionary<string, string> { ["owner"] = "team-a" }, true)).Version);
        Assert.Equal(2, (await registry.GetLatestWithMetadataAsync("contract-users", new Dictionary<string, string> { ["owner"] = "team-b" }, true)).Version);
        var none = await http.GetAsync("/subjects/contract-users/metadata?key=owner&value=team-c");
        Assert.Equal((404, 40403), (none.Status, RegistryHttp.ErrorCode(none)));
    }

    [Fact]
    public async Task TheConfigsDefaultsAndOverrides_MakeEveryNewVersionsContract()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        using var registry = Client();
        var set = await http.PutAsync("/config/contract-config", new
        {
            defaultMetadata = new { properties = new Dictionary<string, string> { ["owner"] = "default", ["tier"] = "gold" } },
            overrideMetadata = new { properties = new Dictionary<string, string> { ["owner"] = "platform" } },
            overrideRuleSet = new { domainRules = new[] { AgeRule() } },
        });

        await http.PostAsync("/subjects/contract-config/versions", new { schema = User, metadata = new { properties = new Dictionary<string, string> { ["owner"] = "mine", ["team"] = "x" } } });
        var config = await http.GetAsync("/config/contract-config");
        var stored = await registry.GetLatestSchemaAsync("contract-config");

        Assert.Equal(200, set.Status);
        Assert.Equal("gold", config.Body!["defaultMetadata"]!["properties"]!["tier"]!.GetValue<string>());
        Assert.Equal(new Dictionary<string, string> { ["owner"] = "platform", ["team"] = "x", ["tier"] = "gold" }, stored.Metadata.Properties);
        Assert.Equal("checkAge", Assert.Single(stored.RuleSet.DomainRules).Name);
    }

    [Theory]
    [InlineData("1st-rule", "CEL")]
    [InlineData("rule", null)]
    public async Task AnInvalidRuleSet_IsRefusedWith42210(string name, string? type)
    {
        using var http = new RegistryHttp(broker.RegistryUrl);

        var refused = await http.PostAsync("/subjects/contract-invalid/versions", new { schema = User, ruleSet = new { domainRules = new[] { new { name, kind = "CONDITION", mode = "WRITE", type, expr = "true" } } } });

        Assert.Equal((422, 42210), (refused.Status, RegistryHttp.ErrorCode(refused)));
    }

    [Fact]
    public async Task ACelCondition_FailsTheSerializationOfARecordThatBreaksIt()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        Assert.Equal(200, (await http.PostAsync("/subjects/contract-cel-value/versions", new { schema = User, ruleSet = new { domainRules = new[] { AgeRule() } } })).Status);

        var result = await ConfluentSchemaRegistryJs.RunAsync(CelScript, new Dictionary<string, string> { ["REGISTRY"] = broker.RegistryUrl, ["TOPIC"] = "contract-cel" });

        Assert.Equal("ok", result.GetProperty("valid").GetString());
        Assert.Contains("Expr failed: 'message.age >= 0'", result.GetProperty("invalid").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Confluent's JavaScript Avro serializer, using the latest version and its rules (CEL registered).</summary>
    private const string CelScript = """
        const { SchemaRegistryClient } = require('@confluentinc/schemaregistry');
        const { AvroSerializer } = require('@confluentinc/schemaregistry/dist/serde/avro');
        const { SerdeType } = require('@confluentinc/schemaregistry/dist/serde/serde');
        const { CelExecutor } = require('@confluentinc/schemaregistry/dist/rules/cel/cel-executor');
        CelExecutor.register();
        const client = SchemaRegistryClient.newClient({ baseURLs: [process.env.REGISTRY] });
        const serializer = new AvroSerializer(client, SerdeType.VALUE, { useLatestVersion: true });
        (async () => {
          const attempt = async value => {
            try { await serializer.serialize(process.env.TOPIC, value); return 'ok'; }
            catch (e) { return String(e && e.message || e); }
          };
          const valid = await attempt({ name: 'ann', age: 41 });
          const invalid = await attempt({ name: 'bob', age: -1 });
          process.stdout.write(JSON.stringify({ valid, invalid }));
        })().catch(e => { process.stderr.write(String((e && e.stack) || e)); process.exit(1); });
        """;
}

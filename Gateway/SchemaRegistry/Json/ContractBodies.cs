using System.Text.Json.Serialization;
using Tributary.Grains.Interfaces.Schemas;

namespace Tributary.Gateway.SchemaRegistry.Json;

/// <summary>A schema's metadata as Confluent's API writes it: tags by path, properties, sensitive property names.</summary>
internal sealed record MetadataBody(
    [property: JsonPropertyName("tags")] Dictionary<string, List<string>>? Tags,
    [property: JsonPropertyName("properties")] Dictionary<string, string>? Properties,
    [property: JsonPropertyName("sensitive")] List<string>? Sensitive)
{
    public static MetadataBody? Of(SchemaMetadata? metadata) => metadata is null ? null : new(
        metadata.Tags?.ToDictionary(t => t.Key, t => t.Value.ToList(), StringComparer.Ordinal),
        metadata.Properties?.ToDictionary(StringComparer.Ordinal),
        metadata.Sensitive?.ToList());

    public SchemaMetadata ToData() => new(
        Tags?.ToDictionary(t => t.Key, t => (IReadOnlyList<string>)(t.Value ?? []), StringComparer.Ordinal),
        Properties?.ToDictionary(StringComparer.Ordinal),
        Sensitive);
}

/// <summary>One rule, by Confluent's field names (<c>disabled</c> left out when false, as Confluent leaves it out).</summary>
internal sealed record RuleBody(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("doc")] string? Doc,
    [property: JsonPropertyName("kind")] string? Kind,
    [property: JsonPropertyName("mode")] string? Mode,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("tags")] List<string>? Tags,
    [property: JsonPropertyName("params")] Dictionary<string, string>? Params,
    [property: JsonPropertyName("expr")] string? Expr,
    [property: JsonPropertyName("onSuccess")] string? OnSuccess,
    [property: JsonPropertyName("onFailure")] string? OnFailure,
    [property: JsonPropertyName("disabled"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Disabled)
{
    public static RuleBody Of(SchemaRule rule) => new(rule.Name, rule.Doc, rule.Kind, rule.Mode, rule.Type, rule.Tags?.ToList(),
        rule.Params?.ToDictionary(StringComparer.Ordinal), rule.Expr, rule.OnSuccess, rule.OnFailure, rule.Disabled);

    public SchemaRule ToData() => new(Name ?? "", Doc, Kind?.ToUpperInvariant(), Mode?.ToUpperInvariant(), Type, Tags,
        Params?.ToDictionary(StringComparer.Ordinal), Expr, OnSuccess, OnFailure, Disabled);
}

/// <summary>A rule set: migration, domain and encoding rules, and where they are enabled.</summary>
internal sealed record RuleSetBody(
    [property: JsonPropertyName("migrationRules")] List<RuleBody>? MigrationRules,
    [property: JsonPropertyName("domainRules")] List<RuleBody>? DomainRules,
    [property: JsonPropertyName("encodingRules")] List<RuleBody>? EncodingRules,
    [property: JsonPropertyName("enableAt")] string? EnableAt)
{
    public static RuleSetBody? Of(SchemaRuleSet? ruleSet) => ruleSet is null ? null : new(
        ruleSet.MigrationRules?.Select(RuleBody.Of).ToList(), ruleSet.DomainRules?.Select(RuleBody.Of).ToList(),
        ruleSet.EncodingRules?.Select(RuleBody.Of).ToList(), ruleSet.EnableAt);

    public SchemaRuleSet ToData() => new(
        MigrationRules?.Select(r => r.ToData()).ToList(), DomainRules?.Select(r => r.ToData()).ToList(),
        EncodingRules?.Select(r => r.ToData()).ToList(), EnableAt);
}

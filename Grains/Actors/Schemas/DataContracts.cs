using System.Text;
using System.Text.Json;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.SchemaRegistry.Rules;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>
/// Confluent's data contracts on registration: a version's metadata and rule set are the config's defaults, then the
/// registration's own (or, without them, the previous version's), then the config's overrides, merged as Confluent
/// merges them (properties and tags by key, the later winning; sensitive names united; rules by name, the later
/// replacing). They are part of a schema's identity.
/// </summary>
internal static class DataContracts
{
    private const int MaxRuleNameLength = 64;

    private static readonly string[] Kinds = ["CONDITION", "TRANSFORM"];
    private static readonly string[] Modes = ["UPGRADE", "DOWNGRADE", "UPDOWN", "WRITE", "READ", "WRITEREAD"];

    public static SchemaMetadata? Merge(SchemaMetadata? old, SchemaMetadata? @new) =>
        old is null ? @new
        : @new is null ? old
        : new SchemaMetadata(Merge(old.Tags, @new.Tags), Merge(old.Properties, @new.Properties), Merge(old.Sensitive, @new.Sensitive));

    public static SchemaRuleSet? Merge(SchemaRuleSet? old, SchemaRuleSet? @new) =>
        old is null ? @new
        : @new is null ? old
        : new SchemaRuleSet(Merge(old.MigrationRules, @new.MigrationRules), Merge(old.DomainRules, @new.DomainRules),
            Merge(old.EncodingRules, @new.EncodingRules), @new.EnableAt ?? old.EnableAt);

    /// <summary>Why a rule set is not one Confluent's registry takes (its 42210), or null.</summary>
    public static string? Invalid(SchemaRuleSet? ruleSet)
    {
        foreach (var rule in (ruleSet?.MigrationRules ?? []).Concat(ruleSet?.DomainRules ?? []).Concat(ruleSet?.EncodingRules ?? []))
        {
            var name = rule.Name;
            if (string.IsNullOrEmpty(name))
            {
                return "Missing rule name";
            }

            if (name.Length > MaxRuleNameLength)
            {
                return "Rule name too long";
            }

            if (!(char.IsLetter(name[0]) || name[0] == '_') || name.Skip(1).Any(c => !(char.IsLetterOrDigit(c) || c is '_' or '-')))
            {
                return $"Illegal character in rule name: {name}";
            }

            if (string.IsNullOrEmpty(rule.Type))
            {
                return "Missing rule type";
            }

            if (rule.Kind is { } kind && !Kinds.Contains(kind) || rule.Mode is { } mode && !Modes.Contains(mode))
            {
                return $"Invalid rule kind or mode: {name}";
            }

            if (rule.Mode is not ("WRITEREAD" or "UPDOWN") && (rule.OnSuccess?.Contains(',') == true || rule.OnFailure?.Contains(',') == true))
            {
                return "Multiple actions only valid with WRITEREAD and UPDOWN";
            }

            // The platform runs CEL conditions itself (the REST Proxy): an expression past its limits is refused here.
            if (rule.Type?.ToUpperInvariant() is CelConditions.Cel or CelConditions.CelField && !string.IsNullOrWhiteSpace(rule.Expr)
                && CelConditions.InvalidExpression(rule.Expr) is { } invalid)
            {
                return $"Invalid expression in rule {name}: {invalid}";
            }
        }

        return null;
    }

    /// <summary>A version's identity: the format's identity of its schema, and its data contract.</summary>
    public static string Identity(Tributary.Grains.SchemaRegistry.ParsedSchema parsed, SchemaDefinition definition) =>
        parsed.Identity + Canonical(definition.Metadata, definition.RuleSet);

    /// <summary>The contract as one string in one order (empty without one), appended to a schema's identity.</summary>
    public static string Canonical(SchemaMetadata? metadata, SchemaRuleSet? ruleSet)
    {
        if (metadata is null && ruleSet is null)
        {
            return "";
        }

        var text = new StringBuilder();
        text.Append("|contract:");
        text.Append(JsonSerializer.Serialize(new
        {
            tags = metadata?.Tags?.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new { t.Key, Value = t.Value.Order(StringComparer.Ordinal) }),
            properties = metadata?.Properties?.OrderBy(p => p.Key, StringComparer.Ordinal),
            sensitive = metadata?.Sensitive?.Order(StringComparer.Ordinal),
            migration = ruleSet?.MigrationRules?.Select(Canonical),
            domain = ruleSet?.DomainRules?.Select(Canonical),
            encoding = ruleSet?.EncodingRules?.Select(Canonical),
            enableAt = ruleSet?.EnableAt,
        }));
        return text.ToString();
    }

    private static object Canonical(SchemaRule rule) => new
    {
        rule.Name, rule.Doc, rule.Kind, rule.Mode, rule.Type, Tags = rule.Tags?.Order(StringComparer.Ordinal),
        Params = rule.Params?.OrderBy(p => p.Key, StringComparer.Ordinal), rule.Expr, rule.OnSuccess, rule.OnFailure, rule.Disabled,
    };

    private static IReadOnlyDictionary<string, T>? Merge<T>(IReadOnlyDictionary<string, T>? old, IReadOnlyDictionary<string, T>? @new)
    {
        if (old is null || old.Count == 0)
        {
            return @new;
        }

        if (@new is null || @new.Count == 0)
        {
            return old;
        }

        var merged = new SortedDictionary<string, T>(old.ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in @new)
        {
            merged[key] = value;
        }

        return merged;
    }

    private static IReadOnlyList<string>? Merge(IReadOnlyList<string>? old, IReadOnlyList<string>? @new) =>
        old is null || old.Count == 0 ? @new
        : @new is null || @new.Count == 0 ? old
        : old.Union(@new).Order(StringComparer.Ordinal).ToList();

    private static IReadOnlyList<SchemaRule>? Merge(IReadOnlyList<SchemaRule>? old, IReadOnlyList<SchemaRule>? @new)
    {
        if (old is null || old.Count == 0)
        {
            return @new;
        }

        if (@new is null || @new.Count == 0)
        {
            return old;
        }

        var names = @new.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        return [.. old.Where(r => !names.Contains(r.Name)), .. @new];
    }
}

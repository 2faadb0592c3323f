using System.Collections.Concurrent;
using Cel;

namespace Tributary.Grains.SchemaRegistry.Rules;

/// <summary>
/// Confluent's domain rules of kind CONDITION run where a record is written for a client (the REST Proxy), as its
/// serializers run them (AbstractKafkaSchemaSerDe.executeRules, CelExecutor, CelFieldExecutor): enabled rules of mode
/// WRITE or WRITEREAD, in order; a CEL rule's expression sees the record as <c>message</c> (after an optional guard,
/// <c>guard; expr</c>, whose false skips the rule); a CEL_FIELD rule's sees each field as <c>value</c>, <c>name</c>,
/// <c>typeName</c>, <c>tags</c> and <c>message</c>, for every field when the rule has no tags, else for the fields the
/// schema's metadata tags with one of them. A false result (or an error) fails the rule unless its failure action is
/// NONE. Transforms and other rule types are left to clients: a record with one fails, as with a serializer that has
/// no executor for it.
/// </summary>
public sealed class CelConditions
{
    public const string Cel = "CEL";
    public const string CelField = "CEL_FIELD";

    /// <summary>Compiled expressions kept; past this many, the cache starts again.</summary>
    private const int MaxPrograms = 1_000;

    private readonly CelEnvironment _environment = new(null, null);
    private readonly ConcurrentDictionary<string, CelProgramDelegate> _programs = new(StringComparer.Ordinal);

    /// <summary>Whether a rule runs when a record is written.</summary>
    public static bool RunsOnWrite(ConditionRule rule) =>
        !rule.Disabled && rule.Mode?.ToUpperInvariant() is "WRITE" or "WRITEREAD";

    /// <summary>The first rule the record fails, with why; null when it passes them all.</summary>
    /// <param name="fieldTags">The schema's metadata tags: a field path (<c>Record.field</c>, <c>*</c> for any part) to its tags.</param>
    public RuleFailure? Check(IReadOnlyList<ConditionRule> rules, object? message, IReadOnlyDictionary<string, IReadOnlyList<string>>? fieldTags)
    {
        foreach (var rule in rules)
        {
            if (!RunsOnWrite(rule))
            {
                continue;
            }

            if (Evaluate(rule, message, fieldTags) is { } cause && WriteFailureAction(rule) != "NONE")
            {
                return new RuleFailure(rule.Name, cause);
            }
        }

        return null;
    }

    /// <summary>Why the record fails the rule, or null when it passes.</summary>
    private string? Evaluate(ConditionRule rule, object? message, IReadOnlyDictionary<string, IReadOnlyList<string>>? fieldTags)
    {
        if (!string.Equals(rule.Kind ?? "TRANSFORM", "CONDITION", StringComparison.OrdinalIgnoreCase))
        {
            return $"Rule {rule.Name} is a transform, which clients run, not the platform";
        }

        try
        {
            return rule.Type?.ToUpperInvariant() switch
            {
                Cel => Condition(rule, new Dictionary<string, object?> { ["message"] = message }),
                CelField => FieldConditions(rule, message, message, fieldTags, 0),
                _ => $"Could not find rule executor of type {rule.Type}",
            };
        }
        catch (CelException e)
        {
            return e.Message;
        }
        catch (InvalidOperationException e)
        {
            return e.Message;
        }
    }

    private string? FieldConditions(ConditionRule rule, object? value, object? message, IReadOnlyDictionary<string, IReadOnlyList<string>>? fieldTags, int depth)
    {
        if (depth > 64)
        {
            return null;
        }

        IEnumerable<(string Name, object? Value)> fields = value switch
        {
            IDictionary<string, object?> map => map.Select(e => (e.Key, e.Value)),
            List<object?> items => items.Select(item => ("", item)),
            _ => [],
        };
        foreach (var (name, field) in fields)
        {
            if (field is IDictionary<string, object?> or List<object?>)
            {
                if (FieldConditions(rule, field, message, fieldTags, depth + 1) is { } nested)
                {
                    return nested;
                }

                continue;
            }

            var tags = TagsOf(name, fieldTags);
            if (name.Length == 0 || (rule.Tags.Count > 0 && !rule.Tags.Any(tags.Contains)))
            {
                continue;
            }

            var failure = Condition(rule, new Dictionary<string, object?>
            {
                ["value"] = field,
                ["name"] = name,
                ["typeName"] = TypeName(field),
                ["tags"] = tags.Cast<object?>().ToList(),
                ["message"] = message,
            });
            if (failure is not null)
            {
                return failure;
            }
        }

        return null;
    }

    /// <summary>The expression's verdict: null when true (or when its guard is false), else Confluent's message.</summary>
    private string? Condition(ConditionRule rule, IDictionary<string, object?> variables)
    {
        var expr = rule.Expr ?? "";
        var separator = expr.IndexOf(';', StringComparison.Ordinal);
        if (separator >= 0 && !(rule.Params.TryGetValue("cel.ignore.guard.separator", out var ignore) && bool.TryParse(ignore, out var ignored) && ignored))
        {
            var guard = expr[..separator];
            expr = expr[(separator + 1)..];
            if (guard.Trim().Length > 0 && Program(guard).Invoke(variables) is false)
            {
                return null;
            }
        }

        return Program(expr).Invoke(variables) switch
        {
            true => null,
            false => string.IsNullOrEmpty(rule.Doc) ? $"Expr failed: '{rule.Expr}'" : rule.Doc,
            var other => $"Expr failed: '{rule.Expr}' returned {other ?? "null"}, not a boolean",
        };
    }

    private CelProgramDelegate Program(string expr)
    {
        if (_programs.TryGetValue(expr, out var program))
        {
            return program;
        }

        if (_programs.Count >= MaxPrograms)
        {
            _programs.Clear();
        }

        return _programs.GetOrAdd(expr, _environment.Compile(expr));
    }

    /// <summary>The write action of <c>onFailure</c>: ERROR by default; for WRITEREAD, the first of two.</summary>
    private static string WriteFailureAction(ConditionRule rule)
    {
        var actions = (rule.OnFailure ?? "").Split(',', StringSplitOptions.TrimEntries);
        var action = actions[0];
        return action.Length == 0 ? "ERROR" : action.ToUpperInvariant();
    }

    /// <summary>A field's tags from the metadata: paths whose last part is its name or <c>*</c>.</summary>
    private static HashSet<string> TagsOf(string field, IReadOnlyDictionary<string, IReadOnlyList<string>>? fieldTags)
    {
        var tags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, pathTags) in fieldTags ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            var last = path[(path.LastIndexOf('.') + 1)..];
            if (last == field || last is "*" or "**")
            {
                tags.UnionWith(pathTags);
            }
        }

        return tags;
    }

    /// <summary>The field's type by Confluent's names, as its value shows it (integers are LONG, fractions DOUBLE).</summary>
    private static string TypeName(object? value) => value switch
    {
        null => "NULL",
        string => "STRING",
        bool => "BOOLEAN",
        long => "LONG",
        double => "DOUBLE",
        byte[] => "BYTES",
        _ => "STRING",
    };
}

/// <summary>A rule a record failed: Confluent's serializer says <c>Rule failed: {name}</c>, caused by <see cref="Cause"/>.</summary>
public sealed record RuleFailure(string RuleName, string Cause)
{
    public string Message => $"Rule failed: {RuleName}: {Cause}";
}

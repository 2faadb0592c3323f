using System.Collections.Concurrent;
using System.Diagnostics;
using Cel;

namespace Tributary.Grains.SchemaRegistry.Rules;

/// <summary>
/// Confluent's domain rules run where a record is written or read for a client (the REST Proxy), as its serializers and
/// deserializers run them (AbstractKafkaSchemaSerDe.executeRules, CelExecutor, CelFieldExecutor): on write the rule
/// set's domain rules of mode WRITE or WRITEREAD in order, on read those of mode READ or WRITEREAD in reverse order,
/// unless disabled (by the rule, or by an <c>enableAt</c> other than ALL). A CEL condition sees
/// the record as <c>message</c>, after an optional guard (<c>guard; expr</c>) that skips the rule unless true; a
/// CEL_FIELD condition sees each field of a record as <c>value</c>, <c>name</c>, <c>typeName</c>, <c>tags</c> and its
/// record as <c>message</c>, every field when the rule has no tags, else those the schema's metadata tags with one of
/// them. A condition fails only on false, or on an error; then the rule's <c>onFailure</c> action runs (ERROR by
/// default; NONE lets the record through; for WRITEREAD the first of two on write, the second on read), and on success its <c>onSuccess</c> (NONE by
/// default; ERROR fails the record). Transforms are left to clients: a record with one fails, as with a serializer
/// that has no executor for it. Expressions are bounded (<see cref="InvalidExpression"/>), since cel-net's parser
/// recurses per level of nesting.
/// </summary>
public sealed class CelConditions
{
    public const string Cel = "CEL";
    public const string CelField = "CEL_FIELD";

    /// <summary>The longest expression taken (a guard and its condition together).</summary>
    public const int MaxExpressionLength = 4_096;

    /// <summary>How deep brackets, parentheses and braces, and chains of conditionals, may nest.</summary>
    public const int MaxNesting = 32;

    /// <summary>Compiled expressions kept; past this many, the cache starts again.</summary>
    private const int MaxPrograms = 1_000;

    private readonly CelEnvironment _environment = new(null, null);
    private readonly ConcurrentDictionary<string, (CelProgramDelegate? Program, string? Error)> _programs = new(StringComparer.Ordinal);

    /// <summary>Why an expression is not taken (too long, nested too deep, empty), or null.</summary>
    public static string? InvalidExpression(string? expr)
    {
        if (string.IsNullOrWhiteSpace(expr))
        {
            return "the expression is empty";
        }

        if (expr.Length > MaxExpressionLength)
        {
            return $"the expression is longer than {MaxExpressionLength} characters";
        }

        var depth = 0;
        var conditionals = 0;
        var unary = 0;
        char? quote = null;
        for (var i = 0; i < expr.Length; i++)
        {
            var c = expr[i];
            if (quote is { } open)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == open)
                {
                    quote = null;
                }

                continue;
            }

            switch (c)
            {
                case '"' or '\'':
                    quote = c;
                    break;
                case '(' or '[' or '{':
                    depth++;
                    break;
                case ')' or ']' or '}':
                    depth--;
                    break;
                case '?':
                    conditionals++;
                    break;
            }

            unary = c is '!' or '-' ? unary + 1 : char.IsWhiteSpace(c) ? unary : 0;
            if (depth > MaxNesting || conditionals > MaxNesting || unary > MaxNesting)
            {
                return $"the expression nests deeper than {MaxNesting} levels";
            }
        }

        return null;
    }

    /// <summary>Whether a rule runs when a record is written (or read).</summary>
    private static bool RunsOn(RuleMode mode, ConditionRule rule, string? enableAt) =>
        !rule.Disabled && enableAt is null or "ALL" && (rule.Mode == "WRITEREAD" || rule.Mode == (mode == RuleMode.Write ? "WRITE" : "READ"));

    /// <summary>The first rule the record fails, with why; null when it passes them all.</summary>
    /// <param name="fieldTags">The schema's metadata tags: a field path (<c>Record.field</c>, <c>*</c> for any part) to its tags.</param>
    /// <param name="budget">How long the rules may run on this record; past it, the record fails.</param>
    public RuleFailure? Check(
        IReadOnlyList<ConditionRule> rules, string? enableAt, object? message, IReadOnlyDictionary<string, IReadOnlyList<string>>? fieldTags,
        TimeSpan? budget = null, RuleMode mode = RuleMode.Write, IReadOnlyDictionary<string, string>? fieldTypes = null)
    {
        var clock = Stopwatch.StartNew();
        foreach (var rule in mode == RuleMode.Write ? rules : rules.Reverse())
        {
            if (!RunsOn(mode, rule, enableAt))
            {
                continue;
            }

            if (clock.Elapsed > (budget ?? TimeSpan.MaxValue))
            {
                return new RuleFailure(rule.Name, $"The rules ran longer than {budget} on one record");
            }

            var cause = Evaluate(rule, message, fieldTags, fieldTypes);
            var action = ActionName(rule, mode, cause is null ? rule.OnSuccess : rule.OnFailure) ?? (cause is null ? "NONE" : "ERROR");
            if (action != "NONE")
            {
                return new RuleFailure(rule.Name, action == "ERROR" ? cause : $"{cause ?? "The rule passed"}; its action {action} is not run by the platform");
            }
        }

        return null;
    }

    /// <summary>Why the record fails the rule, or null when it passes.</summary>
    private string? Evaluate(
        ConditionRule rule, object? message, IReadOnlyDictionary<string, IReadOnlyList<string>>? fieldTags, IReadOnlyDictionary<string, string>? fieldTypes)
    {
        if (rule.Encoding)
        {
            return $"Rule {rule.Name} is an encoding rule, which clients run, not the platform";
        }

        if (rule.Kind != "CONDITION")
        {
            return $"Rule {rule.Name} is a transform, which clients run, not the platform";
        }

        try
        {
            return rule.Type switch
            {
                Cel => Condition(rule, new Dictionary<string, object?> { ["message"] = message }),
                CelField => FieldConditions(rule, message, fieldTags, fieldTypes, 0),
                _ => $"Could not find rule executor of type {rule.Type}",
            };
        }
        catch (Exception e) when (e is not (OutOfMemoryException or InsufficientExecutionStackException))
        {
            return e.Message;
        }
    }

    /// <summary>The field rule on each field of a record (and of the records, lists and maps in it), under the field's name.</summary>
    private string? FieldConditions(
        ConditionRule rule, object? value, IReadOnlyDictionary<string, IReadOnlyList<string>>? fieldTags, IReadOnlyDictionary<string, string>? fieldTypes, int depth)
    {
        if (value is not IDictionary<string, object?> record || depth > 64)
        {
            return null;
        }

        foreach (var (name, field) in record)
        {
            foreach (var item in field is List<object?> items ? items : [field])
            {
                var failure = item is IDictionary<string, object?>
                    ? FieldConditions(rule, item, fieldTags, fieldTypes, depth + 1)
                    : FieldCondition(rule, name, item, record, fieldTags, fieldTypes);
                if (failure is not null)
                {
                    return failure;
                }
            }
        }

        return null;
    }

    private string? FieldCondition(
        ConditionRule rule, string name, object? value, IDictionary<string, object?> record,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? fieldTags, IReadOnlyDictionary<string, string>? fieldTypes)
    {
        var tags = TagsOf(name, fieldTags);
        if (rule.Tags.Count > 0 && !rule.Tags.Any(tags.Contains))
        {
            return null;
        }

        return Condition(rule, new Dictionary<string, object?>
        {
            ["value"] = value,
            ["name"] = name,
            ["typeName"] = value is not null && fieldTypes?.GetValueOrDefault(name) is { } declared ? declared : TypeName(value),
            ["tags"] = tags.Cast<object?>().ToList(),
            ["message"] = record,
        });
    }

    /// <summary>The expression's verdict: null unless false (or an error), or when its guard is not true; else Confluent's message.</summary>
    private string? Condition(ConditionRule rule, IDictionary<string, object?> variables)
    {
        if (InvalidExpression(rule.Expr) is { } invalid)
        {
            return string.IsNullOrWhiteSpace(rule.Expr) ? $"Condition failed: '{rule.Name}'" : $"Expr failed: {invalid}";
        }

        var expr = rule.Expr!;
        var separator = expr.IndexOf(';', StringComparison.Ordinal);
        if (separator >= 0 && !(rule.Params.TryGetValue("cel.ignore.guard.separator", out var ignore) && bool.TryParse(ignore, out var ignored) && ignored))
        {
            var guard = expr[..separator];
            expr = expr[(separator + 1)..];
            if (guard.Trim().Length > 0 && !GuardHolds(guard, variables))
            {
                return null;
            }
        }

        return Run(expr, variables) switch
        {
            false => string.IsNullOrEmpty(rule.Doc) ? $"Expr failed: '{rule.Expr}'" : rule.Doc,
            Exception error => error.Message,
            _ => null,
        };
    }

    /// <summary>A guard lets its rule run only when it is true; false, another value or an error skip the rule.</summary>
    private bool GuardHolds(string guard, IDictionary<string, object?> variables)
    {
        try
        {
            return Run(guard, variables) is true;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or InsufficientExecutionStackException))
        {
            return false;
        }
    }

    private object? Run(string expr, IDictionary<string, object?> variables)
    {
        if (!_programs.TryGetValue(expr, out var compiled))
        {
            if (_programs.Count >= MaxPrograms)
            {
                _programs.Clear();
            }

            try
            {
                compiled = (_environment.Compile(expr), null);
            }
            catch (Exception e) when (e is not (OutOfMemoryException or InsufficientExecutionStackException))
            {
                // Kept too, so that a rule that does not compile is not compiled again for every record.
                compiled = (null, e.Message);
            }

            _programs[expr] = compiled;
        }

        return compiled.Program is { } program ? program.Invoke(variables) : new InvalidOperationException(compiled.Error);
    }

    /// <summary>Confluent's action name: for WRITEREAD, the first of two (<c>WRITE,READ</c>) on write, the second on read; taken as written, so only NONE is none.</summary>
    private static string? ActionName(ConditionRule rule, RuleMode mode, string? actions) =>
        string.IsNullOrEmpty(actions) ? null
        : rule.Mode == "WRITEREAD" && actions.Contains(',', StringComparison.Ordinal) ? actions.Split(',')[mode == RuleMode.Write ? 0 : 1]
        : actions;

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

    /// <summary>The field's type by Confluent's names, as its value shows it (integers are LONG, fractions DOUBLE), where the schema does not say.</summary>
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

/// <summary>
/// A rule a record failed: Confluent's serializer says <c>Rule failed: {name}</c>, caused by <see cref="Cause"/> (none
/// when an ERROR action ran on success).
/// </summary>
public sealed record RuleFailure(string RuleName, string? Cause)
{
    public string Message => Cause is null ? $"Rule failed: {RuleName}" : $"Rule failed: {RuleName}: {Cause}";
}

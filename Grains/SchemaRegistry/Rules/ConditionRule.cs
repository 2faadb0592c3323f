namespace Tributary.Grains.SchemaRegistry.Rules;

/// <summary>
/// A domain rule as the rule engine reads it (Confluent's <c>Rule</c>): <see cref="Kind"/> CONDITION or TRANSFORM,
/// <see cref="Mode"/> WRITE, READ, WRITEREAD, ..., <see cref="Type"/> the executor (CEL, CEL_FIELD, ...), and the
/// actions to take: <see cref="OnFailure"/> (ERROR unless NONE) and <see cref="OnSuccess"/> (NONE unless given), for
/// WRITEREAD one per direction ("ERROR,NONE"). <see cref="Encoding"/>: one of the rule set's encoding rules, which
/// work on a record's bytes.
/// </summary>
public sealed record ConditionRule(
    string Name,
    string? Doc,
    string? Kind,
    string? Mode,
    string? Type,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Params,
    string? Expr,
    string? OnSuccess,
    string? OnFailure,
    bool Disabled,
    bool Encoding = false);

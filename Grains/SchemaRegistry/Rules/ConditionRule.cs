namespace Tributary.Grains.SchemaRegistry.Rules;

/// <summary>
/// A domain rule as the rule engine reads it (Confluent's <c>Rule</c>): <see cref="Kind"/> CONDITION or TRANSFORM,
/// <see cref="Mode"/> WRITE, READ, WRITEREAD, ..., <see cref="Type"/> the executor (CEL, CEL_FIELD, ...), and the
/// actions to take: <see cref="OnFailure"/> (ERROR unless NONE) and, for WRITEREAD, one per direction ("ERROR,NONE").
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
    string? OnFailure,
    bool Disabled);

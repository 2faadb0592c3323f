using Tributary.Grains.KafkaFormats.SchemaRegistry;

namespace Tributary.Grains.Interfaces.Schemas;

/// <summary>A reference as clients send it: the name the schema uses, and the subject and version that define it.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.SchemaReferenceData")]
public sealed record SchemaReferenceData([property: Id(0)] string Name, [property: Id(1)] string Subject, [property: Id(2)] int Version);

/// <summary>
/// A schema as registered: type (AVRO, ...), text, references, and its data contract (Confluent's metadata and rule
/// set), which are part of what makes two registrations one schema. Immutable once it has an id.
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.SchemaDefinition")]
public sealed record SchemaDefinition(
    [property: Id(0)] string SchemaType,
    [property: Id(1)] string Schema,
    [property: Id(2)] IReadOnlyList<SchemaReferenceData> References,
    [property: Id(3)] SchemaMetadata? Metadata = null,
    [property: Id(4)] SchemaRuleSet? RuleSet = null);

/// <summary>A schema's metadata: tags by path, properties, and the names of sensitive properties.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.SchemaMetadata")]
public sealed record SchemaMetadata(
    [property: Id(0)] IReadOnlyDictionary<string, IReadOnlyList<string>>? Tags,
    [property: Id(1)] IReadOnlyDictionary<string, string>? Properties,
    [property: Id(2)] IReadOnlyList<string>? Sensitive);

/// <summary>One rule of a rule set, with Confluent's fields (kind CONDITION or TRANSFORM, mode WRITE, READ, ..., type CEL, ...).</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.SchemaRule")]
public sealed record SchemaRule(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Doc,
    [property: Id(2)] string? Kind,
    [property: Id(3)] string? Mode,
    [property: Id(4)] string? Type,
    [property: Id(5)] IReadOnlyList<string>? Tags,
    [property: Id(6)] IReadOnlyDictionary<string, string>? Params,
    [property: Id(7)] string? Expr,
    [property: Id(8)] string? OnSuccess,
    [property: Id(9)] string? OnFailure,
    [property: Id(10)] bool Disabled);

/// <summary>A schema's rules: migration rules (between versions), domain rules (on each record), encoding rules.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.SchemaRuleSet")]
public sealed record SchemaRuleSet(
    [property: Id(0)] IReadOnlyList<SchemaRule>? MigrationRules,
    [property: Id(1)] IReadOnlyList<SchemaRule>? DomainRules,
    [property: Id(2)] IReadOnlyList<SchemaRule>? EncodingRules,
    [property: Id(3)] string? EnableAt);

/// <summary>A schema under its id, with the GUID that names it too (Confluent 8's <c>/schemas/guids/{guid}</c>).</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.StoredSchema")]
public sealed record StoredSchema([property: Id(0)] SchemaDefinition Definition, [property: Id(1)] string Guid);

/// <summary>A registration, lookup or compatibility check's input; an explicit id and version belong to IMPORT mode.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.SchemaSubmission")]
public sealed record SchemaSubmission(
    [property: Id(0)] SchemaDefinition Definition,
    [property: Id(1)] bool Normalize,
    [property: Id(2)] int? Id = null,
    [property: Id(3)] int? Version = null);

/// <summary>One version of a subject, as the versions endpoints return it.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.SubjectVersion")]
public sealed record SubjectVersion(
    [property: Id(0)] string Subject,
    [property: Id(1)] int Version,
    [property: Id(2)] int Id,
    [property: Id(3)] SchemaDefinition Definition,
    [property: Id(4)] bool Deleted);

/// <summary>An answer or a Confluent error code with its message.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.RegistryResult`1")]
public sealed record RegistryResult<T>([property: Id(0)] int ErrorCode, [property: Id(1)] string? Message, [property: Id(2)] T? Value)
{
    public static RegistryResult<T> Ok(T value) => new(RegistryErrors.None, null, value);

    public static RegistryResult<T> Fail(int code, string message) => new(code, message, default);
}

/// <summary>A compatibility verdict with the reasons (for verbose answers).</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.CompatibilityVerdict")]
public sealed record CompatibilityVerdict([property: Id(0)] bool IsCompatible, [property: Id(1)] IReadOnlyList<string> Messages);

/// <summary>A subject's or the registry's settings; null where unset.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.RegistryConfig")]
public sealed record RegistryConfig(
    [property: Id(0)] string? Compatibility,
    [property: Id(1)] bool? Normalize,
    [property: Id(2)] SchemaMetadata? DefaultMetadata = null,
    [property: Id(3)] SchemaMetadata? OverrideMetadata = null,
    [property: Id(4)] SchemaRuleSet? DefaultRuleSet = null,
    [property: Id(5)] SchemaRuleSet? OverrideRuleSet = null);

/// <summary>The registry-wide compatibility level and mode that apply where a subject sets none.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.RegistryDefaults")]
public sealed record RegistryDefaults(
    [property: Id(0)] string Compatibility,
    [property: Id(1)] string Mode,
    [property: Id(2)] SchemaMetadata? DefaultMetadata = null,
    [property: Id(3)] SchemaMetadata? OverrideMetadata = null,
    [property: Id(4)] SchemaRuleSet? DefaultRuleSet = null,
    [property: Id(5)] SchemaRuleSet? OverrideRuleSet = null);

/// <summary>A schema identity's id, and whether this call allocated it.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.SchemaIdentity")]
public sealed record SchemaIdentity([property: Id(0)] int Id, [property: Id(1)] bool Created);

/// <summary>Where a schema id is used: a subject's version, soft-deleted or not.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.SchemaUsage")]
public sealed record SchemaUsage([property: Id(0)] string Subject, [property: Id(1)] int Version, [property: Id(2)] bool Deleted);

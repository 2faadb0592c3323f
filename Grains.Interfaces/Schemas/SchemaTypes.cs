using Tributary.Grains.KafkaFormats.SchemaRegistry;

namespace Tributary.Grains.Interfaces.Schemas;

/// <summary>A reference as clients send it: the name the schema uses, and the subject and version that define it.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.SchemaReferenceData")]
public sealed record SchemaReferenceData([property: Id(0)] string Name, [property: Id(1)] string Subject, [property: Id(2)] int Version);

/// <summary>A schema as registered: type (AVRO, ...), text, references. Immutable once it has an id.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.SchemaDefinition")]
public sealed record SchemaDefinition(
    [property: Id(0)] string SchemaType,
    [property: Id(1)] string Schema,
    [property: Id(2)] IReadOnlyList<SchemaReferenceData> References);

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
public sealed record RegistryConfig([property: Id(0)] string? Compatibility, [property: Id(1)] bool? Normalize);

/// <summary>The registry-wide compatibility level and mode that apply where a subject sets none.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.RegistryDefaults")]
public sealed record RegistryDefaults([property: Id(0)] string Compatibility, [property: Id(1)] string Mode);

/// <summary>A schema identity's id, and whether this call allocated it.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.SchemaIdentity")]
public sealed record SchemaIdentity([property: Id(0)] int Id, [property: Id(1)] bool Created);

/// <summary>Where a schema id is used: a subject's version, soft-deleted or not.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.SchemaUsage")]
public sealed record SchemaUsage([property: Id(0)] string Subject, [property: Id(1)] int Version, [property: Id(2)] bool Deleted);

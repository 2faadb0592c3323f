using Orleans.Concurrency;

namespace Tributary.Grains.Interfaces.Schemas;

/// <summary>
/// One subject of the Schema Registry (the grain's key): its versions, their soft and permanent deletes, its
/// compatibility level and mode. Registrations run one at a time per subject; there is no registry-wide leader.
/// Version specs are "latest", "-1" or a positive number.
/// </summary>
[Alias("Tributary.Schemas.ISchemaSubjectGrain")]
public interface ISchemaSubjectGrain : IGrainWithStringKey
{
    /// <summary>POST /subjects/{s}/versions: the version that is this schema, new or existing, with its id.</summary>
    [Alias("Register")]
    Task<RegistryResult<SubjectVersion>> RegisterAsync(SchemaSubmission submission);

    /// <summary>POST /subjects/{s}: the version of this subject that is this schema.</summary>
    [Alias("Lookup")]
    Task<RegistryResult<SubjectVersion>> LookupAsync(SchemaSubmission submission, bool includeDeleted);

    /// <summary>POST /compatibility/subjects/{s}/versions[/{v}]: against one version, or (null) the versions the level names.</summary>
    [Alias("CheckCompatibility")]
    Task<RegistryResult<CompatibilityVerdict>> CheckCompatibilityAsync(SchemaSubmission submission, string? version);

    [Alias("Versions")]
    Task<RegistryResult<IReadOnlyList<int>>> GetVersionsAsync(bool includeDeleted, bool deletedOnly);

    /// <summary>Reads never change the subject, so they interleave with a registration (which may read its own references).</summary>
    [Alias("Version"), AlwaysInterleave]
    Task<RegistryResult<SubjectVersion>> GetVersionAsync(string version, bool includeDeleted);

    /// <summary>
    /// The newest version whose metadata properties include every one of <paramref name="properties"/>; soft-deleted
    /// ones too with <paramref name="includeDeleted"/>. 40401 without versions, 40403 when none matches.
    /// </summary>
    [Alias("LatestWithMetadata"), AlwaysInterleave]
    Task<RegistryResult<SubjectVersion>> GetLatestWithMetadataAsync(IReadOnlyDictionary<string, string> properties, bool includeDeleted);

    /// <summary>The ids of schemas that reference a version.</summary>
    [Alias("ReferencedBy"), AlwaysInterleave]
    Task<RegistryResult<IReadOnlyList<int>>> GetReferencedByAsync(string version);

    /// <summary>Records that schema <paramref name="id"/> references <paramref name="version"/> (blocks its permanent delete).</summary>
    [Alias("AddReferencedBy")]
    Task AddReferencedByAsync(int version, int id);

    [Alias("DeleteVersion")]
    Task<RegistryResult<int>> DeleteVersionAsync(string version, bool permanent);

    [Alias("DeleteSubject")]
    Task<RegistryResult<IReadOnlyList<int>>> DeleteAsync(bool permanent);

    [Alias("GetConfig")]
    Task<RegistryConfig?> GetConfigAsync();

    /// <summary>Sets the subject's own config; false (and nothing set) when the compatibility level is not one of Confluent's.</summary>
    [Alias("SetConfig")]
    Task<bool> SetConfigAsync(RegistryConfig config);

    /// <summary>Removes the subject's own config; returns what it was (null when there was none).</summary>
    [Alias("DeleteConfig")]
    Task<RegistryConfig?> DeleteConfigAsync();

    [Alias("GetMode")]
    Task<string?> GetModeAsync();

    [Alias("SetMode")]
    Task SetModeAsync(string? mode);
}

/// <summary>
/// One schema context's config and mode, its list of subjects and its schema ids: key 0 for the default context (whose
/// config and mode are the registry's global ones), key 0 with the context's name as extension for another
/// (<see cref="SchemaGrains.SchemaRegistry"/>). The default context's grain also keeps the list of contexts.
/// </summary>
[Alias("Tributary.Schemas.ISchemaRegistryGrain")]
public interface ISchemaRegistryGrain : IGrainWithIntegerKey, IGrainWithIntegerCompoundKey
{
    [Alias("GetConfig"), AlwaysInterleave]
    Task<RegistryConfig> GetConfigAsync();

    /// <summary>
    /// What a registration needs of the registry-wide settings: the compatibility level and the mode. A read that never
    /// waits behind the registry's writes, so that registrations do not queue on this one grain.
    /// </summary>
    [Alias("GetDefaults"), AlwaysInterleave]
    Task<RegistryDefaults> GetDefaultsAsync();

    /// <summary>Sets the registry's config; false (and nothing set) when the compatibility level is not one of Confluent's.</summary>
    [Alias("SetConfig")]
    Task<bool> SetConfigAsync(RegistryConfig config);

    /// <summary>The schema types this registry serves (AVRO, ...), in order.</summary>
    [Alias("SchemaTypes"), AlwaysInterleave]
    Task<IReadOnlyList<string>> GetSchemaTypesAsync();

    /// <summary>Back to the defaults; returns the config that was set.</summary>
    [Alias("DeleteConfig")]
    Task<RegistryConfig> DeleteConfigAsync();

    [Alias("GetMode"), AlwaysInterleave]
    Task<string> GetModeAsync();

    /// <summary>The config set on this context itself, null when nothing is (then the server's defaults apply).</summary>
    [Alias("GetOwnConfig"), AlwaysInterleave]
    Task<RegistryConfig?> GetOwnConfigAsync();

    /// <summary>The config and mode set on this context itself (each null when unset), in one call.</summary>
    [Alias("GetOwnSettings"), AlwaysInterleave]
    Task<(RegistryConfig? Config, string? Mode)> GetOwnSettingsAsync();

    /// <summary>The mode set on this context itself, null when none is.</summary>
    [Alias("GetOwnMode"), AlwaysInterleave]
    Task<string?> GetOwnModeAsync();

    /// <summary>Sets the context's mode; null removes it (READWRITE applies).</summary>
    [Alias("SetMode")]
    Task SetModeAsync(string? mode);

    /// <summary>The default context's grain: the other contexts that have had a schema and were not deleted since, by name.</summary>
    [Alias("Contexts"), AlwaysInterleave]
    Task<IReadOnlyList<string>> GetContextsAsync();

    /// <summary>The default context's grain: <paramref name="context"/> has (or no longer has, <paramref name="exists"/> false) a place in the list.</summary>
    [Alias("RecordContext")]
    Task RecordContextAsync(string context, bool exists);

    /// <summary>
    /// DELETE /contexts/{c} on this context's grain: false (and nothing done) while it lists a subject; else it leaves
    /// the list of contexts until a schema is registered in it again. Its ids are kept, so none is handed out twice.
    /// </summary>
    [Alias("DeleteContext")]
    Task<bool> DeleteContextAsync();

    /// <summary>A subject has a live version (true) or only soft-deleted ones (false); null removes it.</summary>
    [Alias("UpdateSubject")]
    Task UpdateSubjectAsync(string subject, bool? live);

    /// <summary>Every subject by name, with whether it has a live version (or only soft-deleted ones).</summary>
    [Alias("Subjects")]
    Task<IReadOnlyList<(string Subject, bool Live)>> GetSubjectsAsync();

    /// <summary>
    /// The next schema id: 1, 2, 3 ..., never reused. Ids are reserved durably in blocks, so most calls write nothing;
    /// after a crash the rest of a reserved block is skipped.
    /// </summary>
    [Alias("NextId")]
    Task<int> NextIdAsync();

    /// <summary>An id given in IMPORT mode: ids handed out from now on are above it.</summary>
    [Alias("ClaimId")]
    Task ClaimIdAsync(int id);

    /// <summary>The highest id handed out so far (0 before the first).</summary>
    [Alias("MaxId"), AlwaysInterleave]
    Task<int> GetMaxIdAsync();
}

/// <summary>
/// One registered schema, keyed by its id (and its context, <see cref="SchemaGrains.SchemaById"/>): the definition (immutable) and where it is used. Created by the identity
/// grain of its schema.
/// </summary>
[Alias("Tributary.Schemas.ISchemaByIdGrain")]
public interface ISchemaByIdGrain : IGrainWithIntegerKey, IGrainWithIntegerCompoundKey
{
    [Alias("Get"), AlwaysInterleave]
    Task<StoredSchema?> GetAsync();

    /// <summary>Stores the definition (once) with its first usage.</summary>
    [Alias("Create")]
    Task CreateAsync(SchemaDefinition definition, string guid, SchemaUsage usage);

    /// <summary>
    /// IMPORT mode: stores the definition under this id unless the id already has another; false (and nothing
    /// stored) when it has. Decided here, one call at a time, so two imports of one id cannot both win.
    /// </summary>
    [Alias("Import")]
    Task<bool> ImportAsync(SchemaDefinition definition, string guid, SchemaUsage usage);

    [Alias("Usages"), AlwaysInterleave]
    Task<IReadOnlyList<SchemaUsage>> GetUsagesAsync();

    [Alias("SetUsage")]
    Task SetUsageAsync(string subject, int version, bool? deleted);
}

/// <summary>
/// The id of one schema identity (key: the context's prefix, type and identity, hashed): the same schema registered
/// under any subject of a context gets this one id.
/// </summary>
[Alias("Tributary.Schemas.ISchemaIdentityGrain")]
public interface ISchemaIdentityGrain : IGrainWithStringKey
{
    /// <summary>
    /// The id, allocating it on first use and creating its by-id grain with <paramref name="usage"/> as its first
    /// usage; Created says whether it did (else the caller records its usage itself).
    /// </summary>
    [Alias("GetOrCreateId")]
    Task<SchemaIdentity> GetOrCreateIdAsync(SchemaDefinition definition, SchemaUsage usage);

    /// <summary>
    /// IMPORT mode: stores the schema under <paramref name="id"/>; false when the id has another schema. The identity
    /// names that id unless it already names another (an id given to the same schema twice).
    /// </summary>
    [Alias("Import")]
    Task<bool> ImportAsync(int id, SchemaDefinition definition, SchemaUsage usage);

    [Alias("Find")]
    Task<int?> FindAsync();
}

/// <summary>The id of the schema a GUID names (key: the context's prefix and the GUID). Written before the schema's by-id grain.</summary>
[Alias("Tributary.Schemas.ISchemaGuidGrain")]
public interface ISchemaGuidGrain : IGrainWithStringKey
{
    [Alias("SetId")]
    Task SetIdAsync(int id);

    [Alias("GetId"), AlwaysInterleave]
    Task<int?> GetIdAsync();
}

/// <summary>
/// A stored schema in another form than its text, as the <c>format</c> query parameter asks: <c>serialized</c> is a
/// Protobuf schema's <c>FileDescriptorProto</c> in base64, which Confluent's JavaScript deserializer reads. Stateless:
/// any silo answers.
/// </summary>
[Alias("Tributary.Schemas.ISchemaFormatterGrain")]
public interface ISchemaFormatterGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// The schema text in <paramref name="format"/>; the stored text for a format the schema's type does not have. Its
    /// unqualified references are in <paramref name="context"/>.
    /// </summary>
    [Alias("Format")]
    Task<RegistryResult<string>> FormatAsync(SchemaDefinition definition, string format, string context);
}

/// <summary>
/// Values of JSON Schema and Protobuf schemas turned from JSON into Confluent's wire format and back, for the REST
/// Proxy's embedded formats. Stateless: any silo answers, with the schemas it has parsed.
/// </summary>
[Alias("Tributary.Schemas.ISchemaCodecGrain")]
public interface ISchemaCodecGrain : IGrainWithIntegerKey
{
    /// <summary>Each JSON value (null stays null) in the wire format of schema <paramref name="schemaId"/>, or why one does not fit.</summary>
    [Alias("Encode")]
    Task<RegistryResult<IReadOnlyList<byte[]?>>> EncodeAsync(int schemaId, IReadOnlyList<string?> values);

    /// <summary>
    /// The write rules (domain and encoding rules of mode WRITE or WRITEREAD) of schema <paramref name="schemaId"/> run
    /// on each of <paramref name="values"/>, records in Confluent's wire format of that schema, as Confluent's serializers
    /// run them: the first failure's message ("Rule failed: ..."), or null when every record passes.
    /// </summary>
    [Alias("CheckWriteRules")]
    Task<string?> CheckWriteRulesAsync(int schemaId, IReadOnlyList<byte[]> values);

    /// <summary>
    /// The read rules (rules of mode READ or WRITEREAD, in reverse order) of each value's schema run on
    /// <paramref name="values"/>, in Confluent's wire format, in order, as Confluent's deserializers run them: the first
    /// value that fails, with why, or null when every value passes.
    /// </summary>
    [Alias("CheckReadRules")]
    Task<RuleCheckFailure?> CheckReadRulesAsync(IReadOnlyList<byte[]> values);

    /// <summary>Each value in Confluent's wire format as JSON (null stays null), or why it cannot be read.</summary>
    [Alias("Decode")]
    Task<IReadOnlyList<DecodedValue>> DecodeAsync(IReadOnlyList<byte[]?> values);
}

/// <summary>The first value of a list that failed a rule (its index in the list), and the rule's message.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.RuleCheckFailure")]
public sealed record RuleCheckFailure([property: Id(0)] int Index, [property: Id(1)] string Message);

/// <summary>A value read from the wire format: its JSON, or why it could not be read.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Schemas.DecodedValue")]
public sealed record DecodedValue([property: Id(0)] string? Json, [property: Id(1)] string? Error);

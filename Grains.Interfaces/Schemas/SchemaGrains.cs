namespace Tributary.Grains.Interfaces.Schemas;

/// <summary>
/// The registry's grains of one schema context. The default context keeps the plain keys it has always had (so that
/// stored schemas keep their grains); another context's grains carry its name as a key extension or prefix.
/// </summary>
public static class SchemaGrains
{
    // The interfaces take both key forms; the key extension is named, or the call would bind to the plain key's overload
    // with the context taken for a grain class prefix.

    /// <summary>The context's settings, subject list and id counter.</summary>
    public static ISchemaRegistryGrain SchemaRegistry(this IGrainFactory grains, string context) =>
        context == QualifiedSubject.DefaultContext ? grains.GetGrain<ISchemaRegistryGrain>(0) : grains.GetGrain<ISchemaRegistryGrain>(0, keyExtension: context, grainClassNamePrefix: null);

    /// <summary>Schema <paramref name="id"/> of the context: ids are numbered per context, from 1.</summary>
    public static ISchemaByIdGrain SchemaById(this IGrainFactory grains, int id, string context) =>
        context == QualifiedSubject.DefaultContext ? grains.GetGrain<ISchemaByIdGrain>(id) : grains.GetGrain<ISchemaByIdGrain>(id, keyExtension: context, grainClassNamePrefix: null);

    /// <summary>The id a GUID names in the context.</summary>
    public static ISchemaGuidGrain SchemaGuid(this IGrainFactory grains, string guid, string context) =>
        grains.GetGrain<ISchemaGuidGrain>(QualifiedSubject.ContextPrefix(context) + guid);

    /// <summary>
    /// The subject's grain, keyed by its qualified name; the default context's empty name (<c>:.:</c>), which no schema
    /// is registered under, by Confluent's reserved <c>__EMPTY</c>, since a grain key is never empty.
    /// </summary>
    public static ISchemaSubjectGrain SchemaSubject(this IGrainFactory grains, QualifiedSubject subject) =>
        grains.GetGrain<ISchemaSubjectGrain>(subject.Qualified is { Length: > 0 } key ? key : "__EMPTY");

    /// <summary>The context a grain of this family serves, from its key extension (none for the default context).</summary>
    public static string ContextOf(string? keyExtension) => string.IsNullOrEmpty(keyExtension) ? QualifiedSubject.DefaultContext : keyExtension;
}

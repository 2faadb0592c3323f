using System.Collections;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;

namespace Tributary.Grains.Connect.Transforms.Util;

/// <summary>
/// Checks that a record part has the shape a transform needs (Kafka's <c>transforms.util.Requirements</c>), failing
/// with a <see cref="DataException"/> that names the transform's purpose. Schemaless structured values are maps:
/// any <see cref="IDictionary"/> is accepted, as converters may hand out different dictionary types.
/// </summary>
public static class Requirements
{
    public static Schema RequireSchema(Schema? schema, string purpose) =>
        schema ?? throw new DataException("Schema required for [" + purpose + "]");

    public static IDictionary RequireMap(object? value, string purpose) =>
        value as IDictionary ??
        throw new DataException("Only Map objects supported in absence of schema for [" + purpose + "], found: " + ClassName(value));

    public static IDictionary? RequireMapOrNull(object? value, string purpose) =>
        value is null ? null : RequireMap(value, purpose);

    public static Struct RequireStruct(object? value, string purpose) =>
        value as Struct ?? throw new DataException("Only Struct objects supported for [" + purpose + "], found: " + ClassName(value));

    public static Struct? RequireStructOrNull(object? value, string purpose) =>
        value is null ? null : RequireStruct(value, purpose);

    public static SinkRecord RequireSinkRecord<TRecord>(TRecord record, string purpose)
        where TRecord : ConnectRecord<TRecord> =>
        record as SinkRecord ?? throw new DataException("Only SinkRecord supported for [" + purpose + "], found: " + ClassName(record));

    /// <summary>The runtime type's full name, or <c>null</c>, as Kafka's messages show it.</summary>
    public static string ClassName(object? value) => value?.GetType().FullName ?? "null";
}

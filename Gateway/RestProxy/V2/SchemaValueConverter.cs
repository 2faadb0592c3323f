using Tributary.Gateway.RestProxy.V2.Json;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats.SchemaRegistry;

namespace Tributary.Gateway.RestProxy.V2;

/// <summary>
/// API v2 records in the jsonschema and protobuf embedded formats: the key and value schemas by text (registered under
/// the topic's <c>-key</c>/<c>-value</c> subject) or by id, and each key and value, given as JSON, validated against
/// (JSON Schema) or encoded by (Protobuf, as the schema's first message) its schema in Confluent's wire format. The
/// conversion runs in the registry's codec grain, which holds the parsed schemas.
/// </summary>
internal sealed class SchemaValueConverter(IGrainFactory grains)
{
    public async Task<(List<RestRecord>? Records, int? KeySchemaId, int? ValueSchemaId, (int Code, string Message)? Rejection)> ConvertAsync(
        string schemaType, string topic, int? partition, ProduceRequest body, TopicDescription description)
    {
        var entries = body.Records;
        if (body.ValueSchema is null && body.ValueSchemaId is null)
        {
            return (null, null, null, (RestErrors.ValueSchemaMissing, "Request includes values but does not include value schema"));
        }

        var hasKeys = entries.Any(r => r.Key is { ValueKind: not System.Text.Json.JsonValueKind.Null });
        if (hasKeys && body.KeySchema is null && body.KeySchemaId is null)
        {
            return (null, null, null, (RestErrors.KeySchemaMissing, "Request includes keys but does not include key schema"));
        }

        foreach (var entry in entries)
        {
            if ((partition ?? entry.Partition) is { } p && (p < 0 || p >= description.PartitionCount))
            {
                return (null, null, null, (RestErrors.PartitionNotFound, $"Partition {p} of topic {topic} not found."));
            }
        }

        var (keyId, keyError) = body.KeySchema is null && body.KeySchemaId is null ? (null, null) : await SchemaIdAsync(schemaType, $"{topic}-key", body.KeySchema, body.KeySchemaId);
        var (valueId, valueError) = await SchemaIdAsync(schemaType, $"{topic}-value", body.ValueSchema, body.ValueSchemaId);
        if ((keyError ?? valueError) is { } schemaError)
        {
            return (null, null, null, schemaError);
        }

        var codec = grains.GetGrain<ISchemaCodecGrain>(0);
        IReadOnlyList<byte[]?> keys = entries.Select(_ => (byte[]?)null).ToList();
        if (keyId is { } k && hasKeys)
        {
            var encodedKeys = await codec.EncodeAsync(k, entries.Select(e => Json(e.Key)).ToList());
            if (encodedKeys.ErrorCode != RegistryErrors.None)
            {
                return (null, null, null, Rejection(encodedKeys.ErrorCode, encodedKeys.Message));
            }

            keys = encodedKeys.Value!;
        }

        var values = await codec.EncodeAsync(valueId!.Value, entries.Select(e => Json(e.Value)).ToList());
        if (values.ErrorCode != RegistryErrors.None)
        {
            return (null, null, null, Rejection(values.ErrorCode, values.Message));
        }

        var records = entries.Select((entry, i) => new RestRecord(partition ?? entry.Partition, keys[i], values.Value![i])).ToList();
        return (records, keyId, valueId, null);
    }

    /// <summary>The id of a subject's version ("latest" or a number), which must be of the format.</summary>
    public async Task<(int? Id, (int, string)? Error)> VersionIdAsync(string schemaType, string subject, string version)
    {
        var found = await grains.GetGrain<ISchemaSubjectGrain>(subject).GetVersionAsync(version, includeDeleted: false);
        return found.Value is { } stored
            ? stored.Definition.SchemaType == schemaType ? (stored.Id, null) : (null, (RestErrors.InvalidSchema, $"Subject {subject} version {version} is {stored.Definition.SchemaType}, not {schemaType}"))
            : (null, (found.ErrorCode, found.Message ?? "Schema not found"));
    }

    /// <summary>One JSON value in the wire format of schema <paramref name="id"/>, or why it does not fit.</summary>
    public async Task<(byte[]? Bytes, string? Error)> EncodeAsync(int id, string json)
    {
        var encoded = await grains.GetGrain<ISchemaCodecGrain>(0).EncodeAsync(id, [json]);
        return encoded.ErrorCode == RegistryErrors.None ? (encoded.Value![0], null) : (null, encoded.Message);
    }

    private static string? Json(System.Text.Json.JsonElement? element) =>
        element is { ValueKind: not System.Text.Json.JsonValueKind.Null } json ? json.GetRawText() : null;

    /// <summary>The id of a schema given by id (which must exist and be of the format) or by text (registered).</summary>
    public async Task<(int? Id, (int, string)? Error)> SchemaIdAsync(string schemaType, string subject, string? text, int? id)
    {
        if (id is { } given)
        {
            var stored = await grains.GetGrain<ISchemaByIdGrain>(given).GetAsync();
            return stored is null ? (null, (RestErrors.SchemaNotFound, $"Schema {given} not found"))
                : stored.Definition.SchemaType != schemaType ? (null, (RestErrors.InvalidSchema, $"Schema {given} is {stored.Definition.SchemaType}, not {schemaType}"))
                : (given, null);
        }

        var registered = await grains.GetGrain<ISchemaSubjectGrain>(subject)
            .RegisterAsync(new SchemaSubmission(new SchemaDefinition(schemaType, text!, []), Normalize: false));
        return registered.ErrorCode == RegistryErrors.None
            ? (registered.Value!.Id, null)
            : (null, (registered.ErrorCode == RegistryErrors.InvalidSchema ? RestErrors.InvalidSchema : registered.ErrorCode, registered.Message ?? "Invalid schema"));
    }

    private static (int, string) Rejection(int code, string? message) =>
        (code == RegistryErrors.SchemaNotFound ? RestErrors.SchemaNotFound : code, message ?? "Conversion failed");
}

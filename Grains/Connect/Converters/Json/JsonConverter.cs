using System.Text.Json;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Storage;

namespace Tributary.Grains.Connect.Converters.Json;

/// <summary>
/// Kafka's <c>JsonConverter</c>, for keys, values and headers, writing the same bytes Kafka writes. With
/// <c>schemas.enable</c> (the default) every record is an envelope <c>{"schema":...,"payload":...}</c> and reading
/// requires one; without it only the payload is written and read, its types inferred. A null value with no schema
/// is a tombstone (null bytes) both ways.
/// </summary>
[ConnectPlugin("org.apache.kafka.connect.json.JsonConverter")]
public sealed class JsonConverter : IConverter, IHeaderConverter, IVersioned
{
    private JsonConverterConfig? _config;
    private ConnectToJson? _toJson;
    private JsonToConnect? _toConnect;
    // A writer kept for the next record holds at most this much: a rare large record's buffer is not kept.
    private const int MaxIdleWriterBytes = 64 * 1024;

    private int _lastLength;
    private JacksonJsonWriter? _idleWriter;

    public string Version => PluginVersion.Kafka;

    public ConfigDef Config => JsonConverterConfig.ConfigDef;

    /// <summary>Schemas cached for writing, for tests of the cache.</summary>
    internal int CachedSchemasToJson => Configured.ToJson.CachedSchemas;

    /// <summary>Schemas cached for reading, for tests of the cache.</summary>
    internal int CachedSchemasToConnect => Configured.ToConnect.CachedSchemas;

    private (JsonConverterConfig Config, ConnectToJson ToJson, JsonToConnect ToConnect) Configured =>
        _config is null ? throw new InvalidOperationException("The JsonConverter has not been configured.") : (_config, _toJson!, _toConnect!);

    public void Configure(IReadOnlyDictionary<string, string> configs, bool isKey) => Apply(ConverterConfig.WithType(configs, isKey));

    public void Configure(IReadOnlyDictionary<string, string> configs) => Apply(ConverterConfig.ForHeader(configs));

    public byte[]? FromConnectData(string topic, Schema? schema, object? value)
    {
        if (schema is null && value is null)
        {
            return null;
        }

        var (config, toJson, _) = Configured;
        // A topic's records are of much the same length: room for the last one's, and a little more, spares the buffer
        // its doublings from 256 bytes (one array and one copy each) at every record. A large record sets no large hint.
        // The writer of the last record is reused (its buffer already the size of a record); a call while another
        // is writing, which Connect does not make, gets a writer of its own.
        var writer = Interlocked.Exchange(ref _idleWriter, null) ?? new JacksonJsonWriter(Math.Min(_lastLength + (_lastLength >> 3), 64 * 1024));
        if (config.SchemasEnabled)
        {
            writer.WriteStartObject();
            writer.WritePropertyName(JsonSchemaFields.EnvelopeSchema);
            if (schema is null)
            {
                writer.WriteNull();
            }
            else
            {
                writer.WriteRawValue(toJson.SchemaJson(schema));
            }

            writer.WritePropertyName(JsonSchemaFields.EnvelopePayload);
            toJson.WriteValue(writer, schema, value);
            writer.WriteEndObject();
        }
        else
        {
            toJson.WriteValue(writer, schema, value);
        }

        var bytes = writer.ToArray();
        _lastLength = bytes.Length;
        if (writer.Capacity <= MaxIdleWriterBytes)
        {
            writer.Reset();
            _idleWriter = writer;
        }

        return bytes;
    }

    public SchemaAndValue ToConnectData(string topic, byte[]? value)
    {
        if (value is null)
        {
            return SchemaAndValue.Null;
        }

        var (config, _, toConnect) = Configured;
        var last = toConnect.Last;
        if (config.SchemasEnabled && JsonEnvelope.TrySplit(value, last is null ? default : last.Bytes, out var schemaBytes, out var payloadBytes, out var payloadRead))
        {
            // The schema has the last record's bytes (so the payload is yet unread): a struct of flat fields is read
            // straight from the payload's bytes, and only what that reader declines builds a document.
            if (!payloadRead && last?.Reader is { } structReader && structReader.TryRead(payloadBytes.Span, out var row))
            {
                return new SchemaAndValue(structReader.Schema, row);
            }

            if (JacksonJsonReader.TryParsePayload(payloadBytes, payloadRead) is { } payloadDocument)
            {
                using (payloadDocument)
                {
                    var envelopeSchema = toConnect.AsConnectSchema(schemaBytes);
                    return new SchemaAndValue(envelopeSchema, toConnect.ToConnect(envelopeSchema, payloadDocument.RootElement));
                }
            }
        }

        using var document = JacksonJsonReader.Parse(value);
        var root = document?.RootElement;
        if (!config.SchemasEnabled)
        {
            return new SchemaAndValue(null, toConnect.ToConnect(null, root));
        }

        if (root is not { ValueKind: JsonValueKind.Object } envelope || !IsEnvelope(envelope, out var schemaJson, out var payload))
        {
            throw new DataException(
                "JsonConverter with schemas.enable requires \"schema\" and \"payload\" fields and may not contain additional fields. " +
                "If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.");
        }

        var schema = toConnect.AsConnectSchema(schemaJson);
        return new SchemaAndValue(schema, toConnect.ToConnect(schema, payload));
    }

    public byte[]? FromConnectHeader(string topic, string headerKey, Schema? schema, object? value) => FromConnectData(topic, schema, value);

    public SchemaAndValue ToConnectHeader(string topic, string headerKey, byte[]? value) => ToConnectData(topic, value);

    public void Dispose()
    {
    }

    private void Apply(IReadOnlyDictionary<string, string> configs)
    {
        var config = new JsonConverterConfig(configs);
        _toJson = new ConnectToJson(config);
        _toConnect = new JsonToConnect(config);
        _config = config;
    }

    /// <summary>Exactly the two members <c>schema</c> and <c>payload</c> (a repeated name counts once, as Jackson keeps the last).</summary>
    private static bool IsEnvelope(JsonElement json, out JsonElement schema, out JsonElement payload)
    {
        schema = default;
        payload = default;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in json.EnumerateObject())
        {
            names.Add(member.Name);
            if (names.Count > 2)
            {
                return false;
            }
        }

        return names.Count == 2 &&
               json.TryGetProperty(JsonSchemaFields.EnvelopeSchema, out schema) &&
               json.TryGetProperty(JsonSchemaFields.EnvelopePayload, out payload);
    }
}

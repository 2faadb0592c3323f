using System.Text.Json;

namespace Tributary.Grains.Connect.Converters.Json;

/// <summary>
/// Finds the two members of a well-formed envelope <c>{"schema":{...},"payload":...}</c> without building a document
/// of the whole record: the schema, most of a small record's bytes and the same in every record of a topic, is then
/// looked up by its bytes and only the payload is parsed. Anything else (a repeated or unknown member, a schema that
/// is not an object, bytes System.Text.Json refuses) is left to the converter's general path, which gives Kafka's
/// errors and reads numbers with leading zeros.
/// </summary>
internal static class JsonEnvelope
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 1000 };

    public static bool TrySplit(byte[] bytes, out ReadOnlyMemory<byte> schema, out ReadOnlyMemory<byte> payload)
    {
        schema = default;
        payload = default;
        try
        {
            return Split(bytes, ref schema, ref payload);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool Split(byte[] bytes, ref ReadOnlyMemory<byte> schema, ref ReadOnlyMemory<byte> payload)
    {
        var reader = new Utf8JsonReader(bytes, Options);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        bool hasSchema = false, hasPayload = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isSchema = reader.ValueTextEquals(JsonSchemaFields.EnvelopeSchema);
            if ((!isSchema && !reader.ValueTextEquals(JsonSchemaFields.EnvelopePayload)) || (isSchema ? hasSchema : hasPayload))
            {
                return false;
            }

            reader.Read();
            if (isSchema && reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            var value = bytes.AsMemory(start, (int)reader.BytesConsumed - start);
            if (isSchema)
            {
                (schema, hasSchema) = (value, true);
            }
            else
            {
                (payload, hasPayload) = (value, true);
            }
        }

        // Past the envelope's end only whitespace may follow: the reader refuses anything else.
        return reader.TokenType == JsonTokenType.EndObject && !reader.Read() && hasSchema && hasPayload;
    }
}

using System.Text.Json;

namespace Tributary.Grains.Connect.Converters.Json;

/// <summary>
/// Finds the two members of a well-formed envelope <c>{"schema":{...},"payload":...}</c> without building a document
/// of the whole record: the schema, most of a small record's bytes and the same in every record of a topic, is then
/// looked up by its bytes and only the payload is parsed. Anything else (a repeated or unknown member, a schema that
/// is not an object, bytes System.Text.Json refuses) is left to the converter's general path, which gives Kafka's
/// errors and reads numbers with leading zeros. When the schema's bytes are those of the last record's, they are
/// compared rather than read, and the payload after them is handed over unread: its parse checks it.
/// </summary>
internal static class JsonEnvelope
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 1000 };

    /// <param name="knownSchema">the bytes of a schema seen before, or empty</param>
    /// <param name="payloadRead">whether the payload was read as well-formed JSON; when not, its parse must check it</param>
    public static bool TrySplit(
        byte[] bytes, ReadOnlySpan<byte> knownSchema, out ReadOnlyMemory<byte> schema, out ReadOnlyMemory<byte> payload, out bool payloadRead)
    {
        schema = default;
        payload = default;
        payloadRead = true;
        try
        {
            var reader = new Utf8JsonReader(bytes, Options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            if (!knownSchema.IsEmpty && SchemaFirst(ref reader) is var start && start >= 0 && bytes.AsSpan(start).StartsWith(knownSchema))
            {
                schema = bytes.AsMemory(start, knownSchema.Length);
                payloadRead = false;
                return PayloadAfter(bytes, start + knownSchema.Length, ref payload);
            }

            return Split(bytes, ref schema, ref payload);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Where the schema object starts when it is the envelope's first member, else -1 (the reader left at its start).</summary>
    private static int SchemaFirst(ref Utf8JsonReader reader)
    {
        var copy = reader;
        return copy.Read() && copy.TokenType == JsonTokenType.PropertyName && copy.ValueTextEquals(JsonSchemaFields.EnvelopeSchema) &&
               copy.Read() && copy.TokenType == JsonTokenType.StartObject
            ? (int)copy.TokenStartIndex
            : -1;
    }

    /// <summary>
    /// After a schema object ending at <paramref name="from"/>: <c>, "payload" : value }</c> with whitespace between,
    /// the value being whatever lies between the colon and the closing brace (its own parse then checks that it is one
    /// JSON value and nothing more, and so that the envelope is well formed).
    /// </summary>
    private static bool PayloadAfter(byte[] bytes, int from, ref ReadOnlyMemory<byte> payload)
    {
        var rest = bytes.AsSpan(from);
        var at = Skip(rest, 0);
        if (at >= rest.Length || rest[at] != (byte)',')
        {
            return false;
        }

        at = Skip(rest, at + 1);
        var name = "\"payload\""u8;
        if (!rest[at..].StartsWith(name))
        {
            return false;
        }

        at = Skip(rest, at + name.Length);
        if (at >= rest.Length || rest[at] != (byte)':')
        {
            return false;
        }

        var end = rest.TrimEnd(" \t\r\n"u8).Length - 1;
        if (end <= at || rest[end] != (byte)'}')
        {
            return false;
        }

        payload = bytes.AsMemory(from + at + 1, end - at - 1);
        return true;
    }

    private static int Skip(ReadOnlySpan<byte> bytes, int at)
    {
        while (at < bytes.Length && bytes[at] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            at++;
        }

        return at;
    }

    private static bool Split(byte[] bytes, ref ReadOnlyMemory<byte> schema, ref ReadOnlyMemory<byte> payload)
    {
        var reader = new Utf8JsonReader(bytes, Options);
        reader.Read();
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

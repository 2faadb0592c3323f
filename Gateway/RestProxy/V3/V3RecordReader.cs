using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Tributary.Gateway.RestProxy.V3.Json;

namespace Tributary.Gateway.RestProxy.V3;

/// <summary>
/// Reads v3 records from a stream of concatenated JSON objects, each in a single pass: a key's or value's <c>data</c>
/// is kept as the UTF-8 bytes of its JSON (a JSON record's value is those bytes, as they came), a string's text besides.
/// Only whole records are read; what follows the last whole record waits for more bytes.
/// </summary>
internal static class V3RecordReader
{
    /// <summary>
    /// The whole records at the start of the buffer (each read, or why its fields are wrong), where they end, and why
    /// the rest cannot be read (if it cannot: the stream ends there). <paramref name="final"/>: no more bytes will come.
    /// A record nested deeper than <paramref name="maxDepth"/> is malformed.
    /// </summary>
    public static (List<(ProduceRequest? Record, string? Error)> Records, SequencePosition Consumed, string? Malformed) ReadAll(
        ReadOnlySequence<byte> buffer, bool final, int maxDepth)
    {
        var records = new List<(ProduceRequest?, string?)>();
        var reader = new Utf8JsonReader(buffer, final, new JsonReaderState(new JsonReaderOptions { AllowMultipleValues = true, MaxDepth = maxDepth }));
        var consumed = buffer.Start;
        try
        {
            while (true)
            {
                var probe = reader;
                if (!probe.Read())
                {
                    break;
                }

                if (probe.TokenType != JsonTokenType.StartObject)
                {
                    return (records, consumed, "Each record must be a JSON object.");
                }

                if (!probe.TrySkip())
                {
                    break;
                }

                reader.Read();
                var read = Read(ref reader, buffer);
                records.Add(read);
                if (read.Error is not null)
                {
                    // A record whose fields are wrong is answered alone; the stream goes on after it.
                    reader = probe;
                }

                consumed = reader.Position;
            }
        }
        catch (JsonException e)
        {
            return (records, consumed, $"Invalid JSON: {e.Message}");
        }

        if (final && !IsBlank(buffer.Slice(consumed)))
        {
            return (records, consumed, "The request ends inside a record.");
        }

        return (records, consumed, null);
    }

    /// <summary>
    /// One record; the reader must stand on the record's opening brace, and the record must be whole in
    /// <paramref name="buffer"/>.
    /// </summary>
    /// <returns>The record, or why its fields are not what v3 expects (the reader is then left inside it).</returns>
    public static (ProduceRequest? Record, string? Error) Read(ref Utf8JsonReader reader, ReadOnlySequence<byte> buffer)
    {
        try
        {
            int? partition = null;
            List<ProduceRequestHeader>? headers = null;
            ProduceRequestData? key = null, value = null;
            DateTimeOffset? timestamp = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "partition_id":
                        partition = reader.TokenType == JsonTokenType.Null ? null : reader.GetInt32();
                        break;
                    case "headers":
                        headers = ReadHeaders(ref reader);
                        break;
                    case "key":
                        key = ReadData(ref reader, buffer);
                        break;
                    case "value":
                        value = ReadData(ref reader, buffer);
                        break;
                    case "timestamp":
                        timestamp = reader.TokenType == JsonTokenType.Null ? null : DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture);
                        break;
                    default:
                        SkipValue(ref reader);
                        break;
                }
            }

            return (new ProduceRequest(partition, headers, key, value, timestamp), null);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            return (null, $"Invalid record: {e.Message}");
        }
    }

    private static List<ProduceRequestHeader>? ReadHeaders(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartArray);
        var headers = new List<ProduceRequestHeader>();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            string? name = null, value = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var property = reader.GetString();
                reader.Read();
                switch (property)
                {
                    case "name":
                        name = reader.GetString();
                        break;
                    case "value":
                        value = reader.GetString();
                        break;
                    default:
                        SkipValue(ref reader);
                        break;
                }
            }

            headers.Add(new ProduceRequestHeader(name, value));
        }

        return headers;
    }

    private static ProduceRequestData? ReadData(ref Utf8JsonReader reader, ReadOnlySequence<byte> buffer)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        Expect(ref reader, JsonTokenType.StartObject);
        string? type = null, subject = null, schema = null, text = null;
        int? schemaId = null, schemaVersion = null;
        byte[]? raw = null;
        var kind = JsonValueKind.Undefined;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.GetString();
            reader.Read();
            switch (property)
            {
                case "type":
                    type = reader.GetString();
                    break;
                case "data":
                    (kind, raw, text) = ReadRaw(ref reader, buffer);
                    break;
                case "schema_id":
                    schemaId = reader.TokenType == JsonTokenType.Null ? null : reader.GetInt32();
                    break;
                case "schema_version":
                    schemaVersion = reader.TokenType == JsonTokenType.Null ? null : reader.GetInt32();
                    break;
                case "subject":
                    subject = reader.GetString();
                    break;
                case "schema":
                    schema = reader.GetString();
                    break;
                default:
                    SkipValue(ref reader);
                    break;
            }
        }

        return new ProduceRequestData(type, kind, raw, text, schemaId, schemaVersion, subject, schema);
    }

    /// <summary>A JSON value as its bytes, sliced from the buffer: no document is built.</summary>
    private static (JsonValueKind Kind, byte[]? Raw, string? Text) ReadRaw(ref Utf8JsonReader reader, ReadOnlySequence<byte> buffer)
    {
        var start = reader.TokenStartIndex;
        var kind = reader.TokenType switch
        {
            JsonTokenType.StartObject => JsonValueKind.Object,
            JsonTokenType.StartArray => JsonValueKind.Array,
            JsonTokenType.String => JsonValueKind.String,
            JsonTokenType.Number => JsonValueKind.Number,
            JsonTokenType.True => JsonValueKind.True,
            JsonTokenType.False => JsonValueKind.False,
            _ => JsonValueKind.Null,
        };
        var text = kind == JsonValueKind.String ? reader.GetString() : null;
        if (kind is JsonValueKind.Object or JsonValueKind.Array)
        {
            SkipValue(ref reader);
        }

        return kind == JsonValueKind.Null ? (kind, null, null) : (kind, buffer.Slice(start, reader.BytesConsumed - start).ToArray(), text);
    }

    /// <summary>The stream's reader is not on a final block; the record is whole, so skipping within it cannot run out.</summary>
    private static void SkipValue(ref Utf8JsonReader reader)
    {
        if (!reader.TrySkip())
        {
            throw new InvalidOperationException("The record ends inside a value.");
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token)
    {
        if (reader.TokenType != token)
        {
            throw new InvalidOperationException($"Expected {token}, found {reader.TokenType}.");
        }
    }

    private static bool IsBlank(ReadOnlySequence<byte> rest)
    {
        foreach (var segment in rest)
        {
            foreach (var b in segment.Span)
            {
                if (b is not ((byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t'))
                {
                    return false;
                }
            }
        }

        return true;
    }
}

using System.Text.Json;
using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Converters.Json;

/// <summary>
/// Parses record bytes as Kafka's JSON deserializer does: numbers may have leading zeros (<c>0012</c> is 12, Kafka
/// enables Jackson's ALLOW_LEADING_ZEROS_FOR_NUMBERS), nesting may go 1000 deep (Jackson's limit), and empty or
/// blank input is a missing value rather than an error. System.Text.Json rejects leading zeros, so input it rejects
/// is parsed again with them removed from number tokens: valid JSON, nearly all of it, is parsed once, without a scan.
/// </summary>
internal static class JacksonJsonReader
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 1000 };

    /// <summary>The parsed document, or null for empty or blank input.</summary>
    public static JsonDocument? Parse(byte[] bytes)
    {
        if (bytes.AsSpan().TrimStart(" \t\r\n"u8).IsEmpty)
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(bytes, Options);
        }
        catch (JsonException)
        {
            try
            {
                return JsonDocument.Parse(WithoutLeadingZeros(bytes), Options);
            }
            catch (JsonException e)
            {
                throw new DataException("Converting byte[] to Kafka Connect data failed due to serialization error: ", e);
            }
        }
    }

    /// <summary>One level less than a record may nest: an envelope's payload is inside its object.</summary>
    private static readonly JsonDocumentOptions PayloadOptions = new() { MaxDepth = 999 };

    /// <summary>A document of bytes already read once as well-formed JSON (a part of a record).</summary>
    public static JsonDocument ParseValid(ReadOnlyMemory<byte> bytes) => JsonDocument.Parse(bytes, Options);

    /// <summary>
    /// An envelope's payload; if it was not <paramref name="read"/> as well-formed JSON yet, null when it is not, so that
    /// the whole record takes the general path and its errors.
    /// </summary>
    public static JsonDocument? TryParsePayload(ReadOnlyMemory<byte> payload, bool read)
    {
        if (read)
        {
            return ParseValid(payload);
        }

        try
        {
            return JsonDocument.Parse(payload, PayloadOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static ReadOnlyMemory<byte> WithoutLeadingZeros(byte[] bytes)
    {
        List<byte>? copy = null;
        var copied = 0;
        var inString = false;
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (inString)
            {
                if (b == '\\')
                {
                    i++;
                }
                else if (b == '"')
                {
                    inString = false;
                }

                continue;
            }

            if (b == '"')
            {
                inString = true;
                continue;
            }

            if (b != '-' && !IsDigit(b))
            {
                continue;
            }

            // At the start of a number token: skip its sign, then any zeros that are followed by another digit.
            var digits = b == '-' ? i + 1 : i;
            var end = digits;
            while (end + 1 < bytes.Length && bytes[end] == '0' && IsDigit(bytes[end + 1]))
            {
                end++;
            }

            if (end > digits)
            {
                copy ??= new List<byte>(bytes.Length);
                copy.AddRange(bytes.AsSpan(copied, digits - copied));
                copied = end;
            }

            // Move past the rest of the token so its inner digits are not taken for new numbers.
            i = end;
            while (i + 1 < bytes.Length && IsNumberByte(bytes[i + 1]))
            {
                i++;
            }
        }

        if (copy is null)
        {
            return bytes;
        }

        copy.AddRange(bytes.AsSpan(copied));
        return copy.ToArray();
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static bool IsNumberByte(byte b) => IsDigit(b) || b is (byte)'.' or (byte)'e' or (byte)'E' or (byte)'+' or (byte)'-';
}

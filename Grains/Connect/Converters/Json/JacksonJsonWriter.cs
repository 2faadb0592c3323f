using System.Buffers;
using System.Globalization;
using System.Text;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Converters.Text;
using Tributary.Grains.Connect.Api.Text;

namespace Tributary.Grains.Connect.Converters.Json;

/// <summary>
/// Compact UTF-8 JSON written byte for byte as Kafka's Jackson <c>ObjectMapper</c> writes it: no whitespace, non-ASCII
/// text as raw UTF-8, only <c>"</c>, <c>\</c> and control characters escaped (<c>\b \t \n \f \r</c>, else
/// <c>\u00XX</c> in upper-case hex), doubles and floats as Java prints them, non-finite numbers quoted, binary as
/// padded base64. System.Text.Json's writer escapes more and prints numbers its own way, hence this one.
/// </summary>
internal sealed class JacksonJsonWriter
{
    private static readonly byte[] NullBytes = "null"u8.ToArray();

    // Printable ASCII but the quote and the backslash: written as it is, and nearly every character of every string.
    private static readonly SearchValues<char> PlainAscii =
        SearchValues.Create(" !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private readonly ArrayBufferWriter<byte> _buffer;
    private bool _needsComma;
    private bool _afterName;

    /// <param name="capacity">the bytes to make room for at first: a record's converter gives the last record's length</param>
    public JacksonJsonWriter(int capacity = 256) => _buffer = new ArrayBufferWriter<byte>(Math.Max(capacity, 16));

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    /// <summary>Empties the writer for the next document, keeping its buffer.</summary>
    public void Reset()
    {
        _buffer.ResetWrittenCount();
        _needsComma = false;
        _afterName = false;
    }

    /// <summary>The bytes the buffer holds: a writer kept for reuse is not kept if it grew larger than wanted.</summary>
    public int Capacity => _buffer.Capacity;

    public void WriteStartObject()
    {
        BeforeValue();
        WriteByte((byte)'{');
        _needsComma = false;
    }

    public void WriteEndObject()
    {
        WriteByte((byte)'}');
        _needsComma = true;
    }

    public void WriteStartArray()
    {
        BeforeValue();
        WriteByte((byte)'[');
        _needsComma = false;
    }

    public void WriteEndArray()
    {
        WriteByte((byte)']');
        _needsComma = true;
    }

    public void WritePropertyName(string name)
    {
        if (_needsComma)
        {
            WriteByte((byte)',');
        }

        WriteQuoted(name);
        WriteByte((byte)':');
        _afterName = true;
    }

    public void WriteString(string value)
    {
        BeforeValue();
        WriteQuoted(value);
        _needsComma = true;
    }

    public void WriteNull() => WriteRawValue(NullBytes);

    public void WriteBoolean(bool value) => WriteRawValue(value ? "true"u8 : "false"u8);

    public void WriteNumber(long value)
    {
        BeforeValue();
        var span = _buffer.GetSpan(20);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        _buffer.Advance(written);
        _needsComma = true;
    }

    /// <summary>Java's <c>Double.toString</c>; NaN and infinities quoted, as Jackson's QUOTE_NON_NUMERIC_NUMBERS does.</summary>
    public void WriteNumber(double value)
    {
        // Between 10^-3 and 10^7 Java writes the shortest digits plainly, with at least one after the point; .NET's
        // round-trip form has the same digits, plainly in that range, and lacks only a ".0" for a whole number. So
        // that range, where most values are, is written without the strings of the general layout.
        var magnitude = Math.Abs(value);
        if (magnitude is >= 1e-3 and < 1e7)
        {
            Span<byte> digits = stackalloc byte[32];
            if (value.TryFormat(digits, out var length, "R", CultureInfo.InvariantCulture) && digits[..length].IndexOfAny((byte)'E', (byte)'e') < 0)
            {
                if (digits[..length].IndexOf((byte)'.') < 0)
                {
                    digits[length++] = (byte)'.';
                    digits[length++] = (byte)'0';
                }

                WriteRawValue(digits[..length]);
                return;
            }
        }

        if (double.IsFinite(value))
        {
            WriteAscii(JavaNumberFormat.Double(value));
        }
        else
        {
            WriteString(JavaNumberFormat.Double(value));
        }
    }

    public void WriteNumber(float value)
    {
        if (float.IsFinite(value))
        {
            WriteAscii(JavaNumberFormat.Float(value));
        }
        else
        {
            WriteString(JavaNumberFormat.Float(value));
        }
    }

    /// <summary>Java's <c>BigDecimal.toString</c>, the form Jackson writes a decimal node in.</summary>
    public void WriteNumber(decimal value) => WriteAscii(JavaNumberFormat.Decimal(value));

    public void WriteBase64(byte[] value) => WriteString(Convert.ToBase64String(value));

    /// <summary>Already-encoded JSON (a cached schema) as the next value.</summary>
    public void WriteRawValue(ReadOnlySpan<byte> json)
    {
        BeforeValue();
        _buffer.Write(json);
        _needsComma = true;
    }

    /// <summary>The quoted, escaped UTF-8 form of <paramref name="text"/>, as a property name or string value is written.</summary>
    public static byte[] Quoted(string text)
    {
        var writer = new JacksonJsonWriter();
        writer.WriteQuoted(text);
        return writer.ToArray();
    }

    private void BeforeValue()
    {
        if (_afterName)
        {
            _afterName = false;
        }
        else if (_needsComma)
        {
            WriteByte((byte)',');
        }
    }

    private void WriteAscii(string text)
    {
        BeforeValue();
        var span = _buffer.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }

        _buffer.Advance(text.Length);
        _needsComma = true;
    }

    private void WriteByte(byte b)
    {
        _buffer.GetSpan(1)[0] = b;
        _buffer.Advance(1);
    }

    private void WriteQuoted(string text)
    {
        WriteByte((byte)'"');
        var start = 0;
        // Up to the first character that may need an escape or is not ASCII, the text is copied in one vectorized go.
        var first = text.AsSpan().IndexOfAnyExcept(PlainAscii);
        for (var i = first < 0 ? text.Length : first; i < text.Length; i++)
        {
            var c = text[i];
            var escape = c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\t' => "\\t",
                '\n' => "\\n",
                '\f' => "\\f",
                '\r' => "\\r",
                < ' ' => "\\u00" + ((int)c).ToString("X2", CultureInfo.InvariantCulture),
                _ => null,
            };
            if (escape is null)
            {
                if (char.IsSurrogate(c) && !(char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])))
                {
                    // Jackson refuses a split surrogate pair rather than write invalid UTF-8; Kafka reports it so.
                    throw new DataException(
                        "Converting Kafka Connect data to byte[] failed due to serialization error: ",
                        new EncoderFallbackException($"Invalid surrogate 0x{(int)c:X4} in string"));
                }

                if (char.IsHighSurrogate(c))
                {
                    i++;
                }

                continue;
            }

            WriteUtf8(text.AsSpan(start, i - start));
            WriteUtf8(escape);
            start = i + 1;
        }

        WriteUtf8(text.AsSpan(start));
        WriteByte((byte)'"');
    }

    private void WriteUtf8(ReadOnlySpan<char> chars)
    {
        if (chars.IsEmpty)
        {
            return;
        }

        var span = _buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(chars.Length));
        _buffer.Advance(Encoding.UTF8.GetBytes(chars, span));
    }
}

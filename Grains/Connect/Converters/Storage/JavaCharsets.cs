using System.Text;
using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Converters.Storage;

/// <summary>
/// Java character set names (<c>UTF-8</c>, <c>ISO-8859-1</c>, <c>UTF-16</c>...) mapped to .NET encodings that
/// write the same bytes: Java's <c>UTF-16</c> writes big-endian with a byte-order mark and reads big-endian unless a
/// mark says otherwise, and Java never writes a UTF-8 byte-order mark. Legacy code pages come from .NET's in-box provider.
/// </summary>
internal static class JavaCharsets
{
    public static Encoding ForName(string name)
    {
        var encoding = name.Trim().ToUpperInvariant() switch
        {
            "UTF-8" or "UTF8" => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
            "US-ASCII" or "ASCII" => Encoding.ASCII,
            "ISO-8859-1" or "ISO8859_1" or "LATIN1" => Encoding.Latin1,
            "UTF-16" or "UTF16" => new UnicodeEncoding(bigEndian: true, byteOrderMark: true),
            "UTF-16BE" or "UNICODEBIGUNMARKED" => new UnicodeEncoding(bigEndian: true, byteOrderMark: false),
            "UTF-16LE" or "UNICODELITTLEUNMARKED" => new UnicodeEncoding(bigEndian: false, byteOrderMark: false),
            "UTF-32" or "UTF32" or "UTF-32BE" => new UTF32Encoding(bigEndian: true, byteOrderMark: false),
            "UTF-32LE" => new UTF32Encoding(bigEndian: false, byteOrderMark: false),
            _ => null,
        };
        if (encoding is not null)
        {
            return encoding;
        }

        try
        {
            return CodePagesEncodingProvider.Instance.GetEncoding(name) ?? Encoding.GetEncoding(name);
        }
        catch (ArgumentException e)
        {
            throw new DataException("Unsupported encoding " + name, e);
        }
    }

    /// <summary>The bytes of <paramref name="text"/>; Java's UTF-16 encoder always leads with the big-endian mark.</summary>
    public static byte[] Encode(Encoding encoding, string text)
    {
        var body = encoding.GetBytes(text);
        var preamble = encoding.GetPreamble();
        if (preamble.Length == 0 || encoding is not UnicodeEncoding || text.Length == 0)
        {
            return body;
        }

        return [.. preamble, .. body];
    }

    /// <summary>The text of <paramref name="bytes"/>, honouring (and dropping) a leading byte-order mark for UTF-16.</summary>
    public static string Decode(Encoding encoding, byte[] bytes)
    {
        if (encoding is UnicodeEncoding && encoding.GetPreamble().Length > 0 && bytes.Length >= 2)
        {
            if (bytes[0] == 0xFE && bytes[1] == 0xFF)
            {
                return encoding.GetString(bytes, 2, bytes.Length - 2);
            }

            if (bytes[0] == 0xFF && bytes[1] == 0xFE)
            {
                return Encoding.Unicode.GetString(bytes, 2, bytes.Length - 2);
            }
        }

        return encoding.GetString(bytes);
    }
}

using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Tributary.Gateway.Tls;

/// <summary>
/// A certificate subject written as Java's <c>X500Principal.getName()</c> writes it (RFC 2253), the form Kafka's
/// principal mapping rules are written against: the most specific name first (<c>CN=client,OU=eng,O=Acme,C=US</c>),
/// no spaces, the keywords RFC 2253 knows, other attributes as their OID with the value's DER in hex.
/// </summary>
public static class DistinguishedNames
{
    private static readonly Dictionary<string, string> Keywords = new(StringComparer.Ordinal)
    {
        ["2.5.4.3"] = "CN",
        ["2.5.4.6"] = "C",
        ["2.5.4.7"] = "L",
        ["2.5.4.8"] = "ST",
        ["2.5.4.10"] = "O",
        ["2.5.4.11"] = "OU",
        ["2.5.4.9"] = "STREET",
        ["0.9.2342.19200300.100.1.25"] = "DC",
        ["0.9.2342.19200300.100.1.1"] = "UID",
    };

    public static string Rfc2253(X500DistinguishedName name)
    {
        var text = new StringBuilder();
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames(reversed: true))
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }

            var set = new AsnReader(rdn.RawData, AsnEncodingRules.DER).ReadSetOf();
            var first = true;
            while (set.HasData)
            {
                if (!first)
                {
                    text.Append('+');
                }

                first = false;
                var attribute = set.ReadSequence();
                var oid = attribute.ReadObjectIdentifier();
                var value = attribute.ReadEncodedValue();
                AppendAttribute(text, oid, value);
            }
        }

        return text.ToString();
    }

    private static void AppendAttribute(StringBuilder text, string oid, ReadOnlyMemory<byte> encoded)
    {
        text.Append(Keywords.TryGetValue(oid, out var keyword) ? keyword : oid).Append('=');
        if (keyword is not null && ReadString(encoded) is { } value)
        {
            AppendEscaped(text, value);
        }
        else
        {
            // As Java: a value that is not a string, or an attribute RFC 2253 has no keyword for, as its DER in hex.
            text.Append('#').Append(Convert.ToHexStringLower(encoded.Span));
        }
    }

    /// <summary>The value of a string type Java writes as text; null for other types.</summary>
    private static string? ReadString(ReadOnlyMemory<byte> encoded)
    {
        var tag = Asn1Tag.Decode(encoded.Span, out _);
        if (tag.TagClass != TagClass.Universal || tag.IsConstructed)
        {
            return null;
        }

        var type = (UniversalTagNumber)tag.TagValue;
        if (type is not (UniversalTagNumber.UTF8String or UniversalTagNumber.PrintableString or UniversalTagNumber.IA5String
            or UniversalTagNumber.BMPString or UniversalTagNumber.T61String))
        {
            return null;
        }

        try
        {
            return new AsnReader(encoded, AsnEncodingRules.BER).ReadCharacterString(type);
        }
        catch (AsnContentException)
        {
            // Authorities have written characters a PrintableString may not hold ('@', '_'); Java reads them anyway.
            AsnDecoder.ReadEncodedValue(encoded.Span, AsnEncodingRules.BER, out var start, out var length, out _);
            var content = encoded.Span.Slice(start, length);
            return type == UniversalTagNumber.BMPString ? Encoding.BigEndianUnicode.GetString(content)
                : type == UniversalTagNumber.UTF8String ? Encoding.UTF8.GetString(content)
                : Encoding.Latin1.GetString(content);
        }
    }

    /// <summary>
    /// RFC 2253's escapes as Java writes them: the special characters (with '=' and '#') anywhere, and every leading
    /// and trailing space.
    /// </summary>
    private static void AppendEscaped(StringBuilder text, string value)
    {
        var leading = value.Length - value.TrimStart(' ').Length;
        var trailingFrom = value.TrimEnd(' ').Length;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is ',' or '=' or '+' or '<' or '>' or '#' or ';' or '"' or '\\' || (c == ' ' && (i < leading || i >= trailingFrom)))
            {
                text.Append('\\');
            }

            text.Append(c);
        }
    }
}

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
        if (Keywords.TryGetValue(oid, out var keyword) && ReadString(encoded) is { } value)
        {
            text.Append(keyword).Append('=');
            AppendEscaped(text, value);
        }
        else
        {
            text.Append(oid).Append("=#").Append(Convert.ToHexStringLower(encoded.Span));
        }
    }

    private static string? ReadString(ReadOnlyMemory<byte> encoded)
    {
        var reader = new AsnReader(encoded, AsnEncodingRules.BER);
        var tag = reader.PeekTag();
        if (tag.TagClass != TagClass.Universal)
        {
            return null;
        }

        return (UniversalTagNumber)tag.TagValue switch
        {
            UniversalTagNumber.UTF8String or UniversalTagNumber.PrintableString or UniversalTagNumber.IA5String
                or UniversalTagNumber.BMPString or UniversalTagNumber.T61String or UniversalTagNumber.VisibleString
                => reader.ReadCharacterString((UniversalTagNumber)tag.TagValue),
            _ => null,
        };
    }

    /// <summary>RFC 2253's escapes: the special characters, a leading space or '#', a trailing space.</summary>
    private static void AppendEscaped(StringBuilder text, string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is ',' or '+' or '"' or '\\' or '<' or '>' or ';'
                || (i == 0 && c is ' ' or '#')
                || (i == value.Length - 1 && c == ' '))
            {
                text.Append('\\');
            }

            text.Append(c);
        }
    }
}

using System.Text;

namespace Tributary.Grains.Connect.Avro.Data;

/// <summary>
/// AvroData's handling of names: splitting a dotted Connect name into namespace and name, and, with
/// <c>scrub.invalid.names</c>, making every part a valid Avro name as Confluent does (URL-encode, then every character
/// that is not a letter, digit or underscore becomes an underscore, and a leading digit gets an <c>x</c>).
/// </summary>
internal static class AvroNames
{
    public static string? Scrub(string? name, bool scrub) => scrub ? DoScrub(name) : name;

    public static string? DoScrub(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return name;
        }

        if (name.All(IsNameChar) && !char.IsAsciiDigit(name[0]))
        {
            return name;
        }

        var encoded = UrlEncode(name);
        if (char.IsAsciiDigit(encoded[0]))
        {
            encoded = "x" + encoded;
        }

        return new string([.. encoded.Select(ch => IsNameChar(ch) ? ch : '_')]);
    }

    /// <summary>The namespace (null when none) and the simple name, each part scrubbed when asked.</summary>
    public static (string? Space, string? Name) Split(string? fullName, bool scrub)
    {
        if (string.IsNullOrEmpty(fullName))
        {
            return (null, fullName);
        }

        var parts = fullName.Split('.').Select(p => Scrub(p, scrub)!).ToArray();
        return parts.Length <= 1 ? (null, parts[0]) : (string.Join('.', parts[..^1]), parts[^1]);
    }

    /// <summary>The full name with each part scrubbed when asked.</summary>
    public static string? ScrubFullName(string? name, bool scrub)
    {
        if (name is null || !scrub)
        {
            return name;
        }

        var (space, simple) = Split(name, scrub);
        return space is null ? simple : space + "." + simple;
    }

    private static bool IsNameChar(char ch) => char.IsAsciiLetterOrDigit(ch) || ch == '_';

    /// <summary>Java's <c>URLEncoder.encode(name, "UTF-8")</c>.</summary>
    private static string UrlEncode(string value)
    {
        var text = new StringBuilder();
        Span<byte> bytes = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.IsAscii && (char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value is '.' or '-' or '*' or '_'))
            {
                text.Append((char)rune.Value);
            }
            else if (rune.Value == ' ')
            {
                text.Append('+');
            }
            else
            {
                var length = rune.EncodeToUtf8(bytes);
                foreach (var b in bytes[..length])
                {
                    text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
        }

        return text.ToString();
    }
}

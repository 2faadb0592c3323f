using System.Globalization;
using System.Text;

namespace Tributary.Grains.Connect.Runtime.Config;

/// <summary>
/// Reads Java's <c>.properties</c> format (<c>java.util.Properties.load</c>), the form of Kafka's connector config
/// files: <c>key=value</c>, <c>key: value</c> or <c>key value</c>; <c>#</c> and <c>!</c> comments; a backslash at a
/// line's end continues it on the next (leading blanks dropped); escapes <c>\t \n \r \f \uXXXX</c>, and a backslash
/// before any other character stands for that character. Later keys replace earlier ones.
/// </summary>
public static class JavaProperties
{
    public static Dictionary<string, string> Parse(string text)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in LogicalLines(text))
        {
            var (key, value) = Split(line);
            result[Unescape(key)] = Unescape(value);
        }

        return result;
    }

    private static IEnumerable<string> LogicalLines(string text)
    {
        var physical = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        var current = new StringBuilder();
        var continuing = false;
        foreach (var raw in physical)
        {
            var line = continuing ? raw.TrimStart(' ', '\t', '\f') : raw.TrimStart(' ', '\t', '\f');
            if (!continuing && (line.Length == 0 || line[0] is '#' or '!'))
            {
                continue;
            }

            if (EndsWithContinuation(line))
            {
                current.Append(line, 0, line.Length - 1);
                continuing = true;
                continue;
            }

            current.Append(line);
            continuing = false;
            yield return current.ToString();
            current.Clear();
        }

        if (current.Length > 0)
        {
            yield return current.ToString();
        }
    }

    /// <summary>An odd number of trailing backslashes continues the line; an even number are escaped backslashes.</summary>
    private static bool EndsWithContinuation(string line)
    {
        var count = 0;
        for (var i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
        {
            count++;
        }

        return count % 2 == 1;
    }

    private static (string Key, string Value) Split(string line)
    {
        var i = 0;
        while (i < line.Length && line[i] is not ('=' or ':' or ' ' or '\t' or '\f'))
        {
            i += line[i] == '\\' ? 2 : 1;
        }

        var key = line[..Math.Min(i, line.Length)];
        while (i < line.Length && line[i] is ' ' or '\t' or '\f')
        {
            i++;
        }

        if (i < line.Length && line[i] is '=' or ':')
        {
            i++;
        }

        while (i < line.Length && line[i] is ' ' or '\t' or '\f')
        {
            i++;
        }

        return (key, i < line.Length ? line[i..] : "");
    }

    private static string Unescape(string text)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i == text.Length - 1)
            {
                result.Append(text[i]);
                continue;
            }

            var next = text[++i];
            switch (next)
            {
                case 't': result.Append('\t'); break;
                case 'n': result.Append('\n'); break;
                case 'r': result.Append('\r'); break;
                case 'f': result.Append('\f'); break;
                case 'u' when i + 4 < text.Length && int.TryParse(text.AsSpan(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code):
                    result.Append((char)code);
                    i += 4;
                    break;
                default: result.Append(next); break;
            }
        }

        return result.ToString();
    }
}

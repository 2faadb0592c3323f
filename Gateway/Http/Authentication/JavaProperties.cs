using System.Globalization;
using System.Text;

namespace Tributary.Gateway.Http.Authentication;

/// <summary>
/// Java's <c>Properties.load</c>, by which Jetty reads a realm file: <c>#</c> and <c>!</c> comment lines; a line ending
/// in an odd number of backslashes goes on at the next line's first non-blank character; a key ends at the first
/// unescaped <c>=</c>, <c>:</c> or blank, and one <c>=</c> or <c>:</c> with blanks around it separates it from its
/// value; <c>\t</c>, <c>\n</c>, <c>\r</c>, <c>\f</c> and <c>\uXXXX</c> are escapes, and a backslash before any other
/// character stands for that character. The bytes are ISO-8859-1, as <c>Properties.load(InputStream)</c> reads them.
/// </summary>
public static class JavaProperties
{
    /// <summary>How Java reads a properties file's bytes.</summary>
    public static Encoding FileEncoding => Encoding.Latin1;

    /// <summary>Each entry, in order, with the number of the line it starts on; InvalidOperationException for a malformed <c>\u</c> escape.</summary>
    public static IEnumerable<(int Line, string Key, string Value)> Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimStart(' ', '\t', '\f');
            if (line.Length == 0 || line[0] is '#' or '!')
            {
                continue;
            }

            var start = i + 1;
            var logical = new StringBuilder();
            while (true)
            {
                var continued = TrailingBackslashes(line) % 2 == 1;
                logical.Append(continued ? line[..^1] : line);
                if (!continued || i + 1 >= lines.Length)
                {
                    break;
                }

                line = lines[++i].TrimStart(' ', '\t', '\f');
            }

            var (key, value) = Split(logical.ToString());
            yield return (start, Unescape(key, start), Unescape(value, start));
        }
    }

    private static int TrailingBackslashes(string line)
    {
        var count = 0;
        for (var i = line.Length - 1; i >= 0 && line[i] == '\\'; i--)
        {
            count++;
        }

        return count;
    }

    /// <summary>The raw key and value of a logical line, as Java's <c>load0</c> splits it.</summary>
    private static (string Key, string Value) Split(string line)
    {
        var end = 0;
        var escaped = false;
        while (end < line.Length)
        {
            var c = line[end];
            if (!escaped && (c is '=' or ':' || IsBlank(c)))
            {
                break;
            }

            escaped = c == '\\' && !escaped;
            end++;
        }

        var valueStart = end;
        var separated = false;
        while (valueStart < line.Length)
        {
            var c = line[valueStart];
            if (IsBlank(c))
            {
                valueStart++;
            }
            else if (!separated && c is '=' or ':')
            {
                separated = true;
                valueStart++;
            }
            else
            {
                break;
            }
        }

        return (line[..end], line[valueStart..]);
    }

    private static bool IsBlank(char c) => c is ' ' or '\t' or '\f';

    private static string Unescape(string raw, int line)
    {
        if (!raw.Contains('\\', StringComparison.Ordinal))
        {
            return raw;
        }

        var text = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != '\\' || i + 1 >= raw.Length)
            {
                // A lone backslash at the very end (the file's last line) stands for nothing.
                text.Append(raw[i] == '\\' ? "" : raw[i]);
                continue;
            }

            var next = raw[++i];
            switch (next)
            {
                case 't': text.Append('\t'); break;
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                case 'f': text.Append('\f'); break;
                case 'u':
                    if (raw.Length - (i + 1) < 4
                        || !ushort.TryParse(raw.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        throw new InvalidOperationException($"line {line}: a malformed \\uXXXX escape");
                    }

                    text.Append((char)code);
                    i += 4;
                    break;
                default: text.Append(next); break;
            }
        }

        return text.ToString();
    }
}

using System.Text;

namespace Tributary.Grains.Connect.Api.Text;

/// <summary>One part of a Java or Joda date-time pattern: a run of one pattern letter, or literal text.</summary>
public readonly record struct DatePatternToken(char Letter, int Count, string? Literal)
{
    public bool IsLiteral => Literal is not null;
}

/// <summary>
/// The tokens of a date-time pattern as Java's <c>SimpleDateFormat</c> and Joda's <c>DateTimeFormat</c> split it: runs
/// of the same ASCII letter are fields, any other character is literal text, text between single quotes is literal and
/// <c>''</c> is a quote. Which letters are fields is the caller's: <paramref name="checkLetter"/> returns the error for
/// a letter run it refuses (or null), and the error, as an unterminated quote, is thrown as a <see cref="FormatException"/>.
/// </summary>
public static class DatePatternTokens
{
    public static List<DatePatternToken> Tokenize(string pattern, Func<char, int, string?> checkLetter)
    {
        var tokens = new List<DatePatternToken>();
        var literal = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\'')
            {
                i = Quoted(pattern, i, literal);
            }
            else if (char.IsAsciiLetter(c))
            {
                var count = 1;
                while (i + count < pattern.Length && pattern[i + count] == c)
                {
                    count++;
                }

                if (checkLetter(c, count) is { } error)
                {
                    throw new FormatException(error);
                }

                if (literal.Length > 0)
                {
                    tokens.Add(new DatePatternToken('\0', 0, literal.ToString()));
                    literal.Clear();
                }

                tokens.Add(new DatePatternToken(c, count, null));
                i += count - 1;
            }
            else
            {
                literal.Append(c);
            }
        }

        if (literal.Length > 0)
        {
            tokens.Add(new DatePatternToken('\0', 0, literal.ToString()));
        }

        return tokens;
    }

    // '' is a quote; otherwise the text up to the next lone quote, in which '' is a quote. Returns the index of the last character read.
    private static int Quoted(string pattern, int start, StringBuilder literal)
    {
        if (start + 1 < pattern.Length && pattern[start + 1] == '\'')
        {
            literal.Append('\'');
            return start + 1;
        }

        for (var i = start + 1; i < pattern.Length; i++)
        {
            if (pattern[i] != '\'')
            {
                literal.Append(pattern[i]);
            }
            else if (i + 1 < pattern.Length && pattern[i + 1] == '\'')
            {
                literal.Append('\'');
                i++;
            }
            else
            {
                return i;
            }
        }

        throw new FormatException("Unterminated quote");
    }
}

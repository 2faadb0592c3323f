using System.Globalization;
using System.Text;
using Tributary.Grains.Connect.Api.Text;

namespace Tributary.Grains.Connect.Transforms.Util;

/// <summary>
/// A Java <c>SimpleDateFormat</c> pattern, formatting and parsing in UTC as Kafka's transforms configure it. Supported
/// letters: <c>y</c> (year; <c>yy</c> two digits), <c>M</c>/<c>L</c> (month; 3 letters short name, 4+ full name),
/// <c>d</c>, <c>E</c> (day name, 4+ full), <c>u</c> (day number, Monday = 1), <c>a</c> (AM/PM), <c>H</c> (0-23),
/// <c>k</c> (1-24), <c>K</c> (0-11), <c>h</c> (1-12), <c>m</c>, <c>s</c>, <c>S</c> (milliseconds), <c>Z</c>
/// (<c>+0000</c>) and <c>X</c>/<c>XX</c>/<c>XXX</c> (ISO 8601 offset, <c>Z</c> for UTC); text in single quotes and
/// <c>''</c> for a quote. Java's other letters (<c>G D F w W Y z</c>) are refused with an <see cref="ArgumentException"/>,
/// as are letters Java does not know. Names are English. Parsing is lenient as Java's default: out-of-range fields
/// roll over (month 13 is January next year), missing fields default to 1970-01-01T00:00:00.000Z, text after the last
/// field is ignored, and adjacent numeric fields take exactly as many digits as their letters.
/// </summary>
public sealed class JavaDateFormat
{
    private const string JavaLetters = "GyMdkHmsSEDFwWahKzZYuXL";
    private const string SupportedLetters = "yMLdEuaHkKhmsSZX";
    private static readonly DateTimeFormatInfo Names = CultureInfo.InvariantCulture.DateTimeFormat;

    private readonly Token[] _tokens;

    private JavaDateFormat(string pattern, Token[] tokens)
    {
        Pattern = pattern;
        _tokens = tokens;
    }

    public string Pattern { get; }

    /// <summary>The pattern compiled; throws <see cref="ArgumentException"/> for a pattern that is invalid or uses unsupported letters.</summary>
    public static JavaDateFormat Compile(string pattern) => new(pattern, Tokenize(pattern));

    /// <summary>The instant written in UTC.</summary>
    public string Format(DateTime value)
    {
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        var sb = new StringBuilder();
        foreach (var token in _tokens)
        {
            if (token.Literal is not null)
            {
                sb.Append(token.Literal);
                continue;
            }

            var n = token.Count;
            switch (token.Letter)
            {
                case 'y':
                    sb.Append(n == 2 ? Pad(utc.Year % 100, 2) : Pad(utc.Year, n));
                    break;
                case 'M' or 'L':
                    sb.Append(n >= 4 ? Names.MonthNames[utc.Month - 1] : n == 3 ? Names.AbbreviatedMonthNames[utc.Month - 1] : Pad(utc.Month, n));
                    break;
                case 'd':
                    sb.Append(Pad(utc.Day, n));
                    break;
                case 'E':
                    sb.Append(n >= 4 ? Names.DayNames[(int)utc.DayOfWeek] : Names.AbbreviatedDayNames[(int)utc.DayOfWeek]);
                    break;
                case 'u':
                    sb.Append(Pad(utc.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)utc.DayOfWeek, n));
                    break;
                case 'a':
                    sb.Append(utc.Hour < 12 ? "AM" : "PM");
                    break;
                case 'H':
                    sb.Append(Pad(utc.Hour, n));
                    break;
                case 'k':
                    sb.Append(Pad(utc.Hour == 0 ? 24 : utc.Hour, n));
                    break;
                case 'K':
                    sb.Append(Pad(utc.Hour % 12, n));
                    break;
                case 'h':
                    sb.Append(Pad(utc.Hour % 12 == 0 ? 12 : utc.Hour % 12, n));
                    break;
                case 'm':
                    sb.Append(Pad(utc.Minute, n));
                    break;
                case 's':
                    sb.Append(Pad(utc.Second, n));
                    break;
                case 'S':
                    sb.Append(Pad(utc.Millisecond, n));
                    break;
                case 'Z':
                    sb.Append("+0000");
                    break;
                case 'X':
                    sb.Append('Z');
                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>The instant <paramref name="text"/> names, as a UTC <see cref="DateTime"/>; throws <see cref="FormatException"/>.</summary>
    public DateTime Parse(string text)
    {
        var fields = new ParsedFields();
        var pos = 0;
        for (var i = 0; i < _tokens.Length; i++)
        {
            var token = _tokens[i];
            if (token.Literal is not null)
            {
                if (string.CompareOrdinal(text, pos, token.Literal, 0, token.Literal.Length) != 0)
                {
                    throw new FormatException($"Unparseable date: \"{text}\"");
                }

                pos += token.Literal.Length;
                continue;
            }

            var abutting = i + 1 < _tokens.Length && _tokens[i + 1].IsNumeric;
            pos = ParseField(text, pos, token, abutting, fields);
        }

        return fields.ToDateTime(text);
    }

    public override string ToString() => Pattern;

    private static int ParseField(string text, int pos, Token token, bool abutting, ParsedFields fields)
    {
        switch (token.Letter)
        {
            case 'M' or 'L' when token.Count >= 3:
                fields.Month = MatchName(text, ref pos, Names.MonthNames, Names.AbbreviatedMonthNames, 12) + 1;
                return pos;
            case 'E':
                MatchName(text, ref pos, Names.DayNames, Names.AbbreviatedDayNames, 7);
                return pos;
            case 'a':
                fields.Pm = MatchName(text, ref pos, ["AM", "PM"], ["AM", "PM"], 2) == 1;
                return pos;
            case 'Z' or 'X':
                fields.OffsetMinutes = ParseOffset(text, ref pos);
                return pos;
        }

        var start = pos;
        var value = ParseNumber(text, ref pos, abutting ? token.Count : int.MaxValue);
        switch (token.Letter)
        {
            case 'y':
                // A two-digit year under "yy" or "y" lands within 80 years before and 20 after now, as Java's default century.
                fields.Year = token.Count <= 2 && pos - start == 2 ? TwoDigitYear(value) : value;
                break;
            case 'M' or 'L':
                fields.Month = value;
                break;
            case 'd':
                fields.Day = value;
                break;
            case 'H':
                fields.Hour = value;
                break;
            case 'k':
                fields.Hour = value == 24 ? 0 : value;
                break;
            case 'K':
                fields.Hour12 = value;
                break;
            case 'h':
                fields.Hour12 = value == 12 ? 0 : value;
                break;
            case 'm':
                fields.Minute = value;
                break;
            case 's':
                fields.Second = value;
                break;
            case 'S':
                fields.Millisecond = value;
                break;
        }

        return pos;
    }

    private static int ParseNumber(string text, ref int pos, int maxDigits)
    {
        var start = pos;
        long value = 0;
        while (pos < text.Length && pos - start < maxDigits && char.IsAsciiDigit(text[pos]) && value < int.MaxValue / 10)
        {
            value = value * 10 + (text[pos] - '0');
            pos++;
        }

        if (pos == start)
        {
            throw new FormatException($"Unparseable date: \"{text}\"");
        }

        return (int)value;
    }

    private static int MatchName(string text, ref int pos, string[] longNames, string[] shortNames, int count)
    {
        foreach (var names in (string[][])[longNames, shortNames])
        {
            for (var i = 0; i < count; i++)
            {
                var name = names[i];
                if (name.Length > 0 && string.Compare(text, pos, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) == 0 &&
                    pos + name.Length <= text.Length)
                {
                    pos += name.Length;
                    return i;
                }
            }
        }

        throw new FormatException($"Unparseable date: \"{text}\"");
    }

    /// <summary>Reads <c>Z</c>, <c>±hh</c>, <c>±hhmm</c>, <c>±hh:mm</c>, optionally after <c>GMT</c> or <c>UTC</c>.</summary>
    private static int ParseOffset(string text, ref int pos)
    {
        if (pos < text.Length && text[pos] == 'Z')
        {
            pos++;
            return 0;
        }

        foreach (var prefix in (string[])["GMT", "UTC"])
        {
            if (string.CompareOrdinal(text, pos, prefix, 0, prefix.Length) == 0)
            {
                pos += prefix.Length;
                if (pos >= text.Length || text[pos] is not ('+' or '-'))
                {
                    return 0;
                }
            }
        }

        if (pos >= text.Length || text[pos] is not ('+' or '-'))
        {
            throw new FormatException($"Unparseable date: \"{text}\"");
        }

        var sign = text[pos] == '-' ? -1 : 1;
        pos++;
        var hours = ParseNumber(text, ref pos, 2);
        var minutes = 0;
        if (pos < text.Length && text[pos] == ':')
        {
            pos++;
            minutes = ParseNumber(text, ref pos, 2);
        }
        else if (pos + 1 < text.Length && char.IsAsciiDigit(text[pos]) && char.IsAsciiDigit(text[pos + 1]))
        {
            minutes = ParseNumber(text, ref pos, 2);
        }

        return sign * (hours * 60 + minutes);
    }

    private static int TwoDigitYear(int twoDigits)
    {
        var start = DateTime.UtcNow.Year - 80;
        var year = start / 100 * 100 + twoDigits;
        return year < start ? year + 100 : year;
    }

    private static string Pad(int value, int width) => value.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0');

    private static Token[] Tokenize(string pattern)
    {
        try
        {
            return [.. DatePatternTokens.Tokenize(pattern, CheckLetter).Select(t => new Token(t.Letter, t.Count, t.Literal))];
        }
        catch (FormatException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    }

    private static string? CheckLetter(char letter, int count) =>
        !JavaLetters.Contains(letter, StringComparison.Ordinal) ? $"Illegal pattern character '{letter}'"
        : !SupportedLetters.Contains(letter, StringComparison.Ordinal) ? $"Pattern letter '{letter}' is not supported"
        : letter == 'X' && count > 3 ? "invalid ISO 8601 format: length=" + count
        : null;

    private readonly record struct Token(char Letter, int Count, string? Literal)
    {
        public bool IsNumeric => Literal is null && Letter is not ('E' or 'a' or 'Z' or 'X') && !(Letter is 'M' or 'L' && Count >= 3);
    }

    /// <summary>The fields read so far; those never read keep the epoch's values.</summary>
    private sealed class ParsedFields
    {
        public int Year { get; set; } = 1970;
        public int Month { get; set; } = 1;
        public int Day { get; set; } = 1;
        public int? Hour { get; set; }
        public int Hour12 { get; set; }
        public bool Pm { get; set; }
        public int Minute { get; set; }
        public int Second { get; set; }
        public int Millisecond { get; set; }
        public int OffsetMinutes { get; set; }

        public DateTime ToDateTime(string text)
        {
            try
            {
                // Adding each field to the start of the year rolls out-of-range values over, as Java's lenient calendar does.
                var hour = Hour ?? Hour12 + (Pm ? 12 : 0);
                return new DateTime(Year, 1, 1, 0, 0, 0, DateTimeKind.Utc)
                    .AddMonths(Month - 1)
                    .AddDays(Day - 1)
                    .AddHours(hour)
                    .AddMinutes(Minute - OffsetMinutes)
                    .AddSeconds(Second)
                    .AddMilliseconds(Millisecond);
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new FormatException($"Unparseable date: \"{text}\"", e);
            }
        }
    }
}

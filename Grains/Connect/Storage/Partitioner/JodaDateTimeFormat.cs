using System.Globalization;
using System.Text;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Text;

namespace Tributary.Grains.Connect.Storage.Partitioner;

/// <summary>
/// A date-time pattern in Joda-Time's <c>DateTimeFormat</c> syntax, which Confluent's storage connectors take for
/// <c>path.format</c> (<c>'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH</c>): letters repeated to a width, text between
/// single quotes kept as it is (<c>''</c> is one quote), any other character kept too. Numbers are zero-padded to the
/// letters' count; a two-letter year is its last two digits; three or more <c>M</c> or <c>E</c> letters give the
/// month's or day's name in the locale (short below four). Formats instants in one time zone. Immutable.
/// </summary>
public sealed class JodaDateTimeFormat
{
    private readonly IReadOnlyList<Token> _tokens;
    private readonly CultureInfo _culture;
    private readonly TimeZoneInfo _zone;

    private JodaDateTimeFormat(IReadOnlyList<Token> tokens, CultureInfo culture, TimeZoneInfo zone)
    {
        _tokens = tokens;
        _culture = culture;
        _zone = zone;
    }

    public TimeZoneInfo Zone => _zone;

    /// <summary>Whether the pattern writes words (month or day names, AM/PM, era, zone), which depend on the locale.</summary>
    public bool HasText => _tokens.Any(t => t.Letter is 'E' or 'a' or 'G' or 'z' || (t.Letter == 'M' && t.Count >= 3));

    /// <summary>The pattern, parsed; <paramref name="configName"/> names the setting in the error for a letter Joda does not know.</summary>
    public static JodaDateTimeFormat Parse(string pattern, CultureInfo culture, TimeZoneInfo zone, string configName)
    {
        List<Token> tokens;
        try
        {
            tokens = [.. DatePatternTokens.Tokenize(pattern, (letter, count) =>
                    Known.Contains(letter) ? null : $"Illegal pattern component: {new string(letter, count)}")
                .Select(t => new Token(t.Letter, t.Count, t.Literal))];
        }
        catch (FormatException e)
        {
            throw new ConfigException(configName, pattern, e.Message);
        }

        return new JodaDateTimeFormat(tokens, culture, zone);
    }

    /// <summary>The instant <paramref name="epochMs"/> (milliseconds since 1970 UTC) in this format's zone and locale.</summary>
    public string Format(long epochMs)
    {
        var utc = DateTime.UnixEpoch.AddMilliseconds(epochMs);
        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, _zone);
        var result = new StringBuilder();
        foreach (var token in _tokens)
        {
            if (token.Literal is { } text)
            {
                result.Append(text);
                continue;
            }

            var n = token.Count;
            switch (token.Letter)
            {
                case 'Y' or 'y':
                    Number(result, n == 2 ? local.Year % 100 : local.Year, n);
                    break;
                case 'x':
                    var weekYear = ISOWeek.GetYear(local);
                    Number(result, n == 2 ? weekYear % 100 : weekYear, n);
                    break;
                case 'C':
                    Number(result, local.Year / 100, n);
                    break;
                case 'M' when n >= 3:
                    result.Append(n == 3 ? _culture.DateTimeFormat.GetAbbreviatedMonthName(local.Month) : _culture.DateTimeFormat.GetMonthName(local.Month));
                    break;
                case 'M':
                    Number(result, local.Month, n);
                    break;
                case 'd':
                    Number(result, local.Day, n);
                    break;
                case 'D':
                    Number(result, local.DayOfYear, n);
                    break;
                case 'H':
                    Number(result, local.Hour, n);
                    break;
                case 'k':
                    Number(result, local.Hour == 0 ? 24 : local.Hour, n);
                    break;
                case 'K':
                    Number(result, local.Hour % 12, n);
                    break;
                case 'h':
                    Number(result, local.Hour % 12 == 0 ? 12 : local.Hour % 12, n);
                    break;
                case 'm':
                    Number(result, local.Minute, n);
                    break;
                case 's':
                    Number(result, local.Second, n);
                    break;
                case 'S':
                    // Fraction of second: the leading n digits of the milliseconds.
                    var fraction = local.Millisecond.ToString("D3", CultureInfo.InvariantCulture);
                    result.Append(n <= 3 ? fraction[..n] : fraction.PadRight(n, '0'));
                    break;
                case 'a':
                    result.Append(local.Hour < 12 ? _culture.DateTimeFormat.AMDesignator : _culture.DateTimeFormat.PMDesignator);
                    break;
                case 'E' when n >= 4:
                    result.Append(_culture.DateTimeFormat.GetDayName(local.DayOfWeek));
                    break;
                case 'E':
                    result.Append(_culture.DateTimeFormat.GetAbbreviatedDayName(local.DayOfWeek));
                    break;
                case 'e':
                    Number(result, local.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)local.DayOfWeek, n);
                    break;
                case 'w':
                    Number(result, ISOWeek.GetWeekOfYear(local), n);
                    break;
                case 'G':
                    result.Append("AD");
                    break;
                case 'Z':
                    var offset = _zone.GetUtcOffset(utc);
                    var sign = offset < TimeSpan.Zero ? "-" : "+";
                    var abs = offset.Duration();
                    result.Append(sign).Append(abs.Hours.ToString("D2", CultureInfo.InvariantCulture))
                        .Append(n >= 2 ? ":" : "").Append(abs.Minutes.ToString("D2", CultureInfo.InvariantCulture));
                    break;
                case 'z':
                    result.Append(_zone.Id);
                    break;
            }
        }

        return result.ToString();
    }

    private static readonly HashSet<char> Known = ['G', 'C', 'Y', 'x', 'w', 'e', 'E', 'y', 'D', 'M', 'd', 'a', 'K', 'h', 'H', 'k', 'm', 's', 'S', 'z', 'Z'];

    private static void Number(StringBuilder result, int value, int width) =>
        result.Append(value.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0'));

    private readonly record struct Token(char Letter, int Count, string? Literal);
}

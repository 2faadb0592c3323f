using System.Globalization;
using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Converters.Text;

/// <summary>
/// The date, time and timestamp text of Kafka's <c>Values</c>: <c>yyyy-MM-dd</c>, <c>HH:mm:ss.SSS'Z'</c> and
/// <c>yyyy-MM-dd'T'HH:mm:ss.SSS'Z'</c>, told apart by length (10, 13, 24) when parsing, and by the value when
/// formatting (before one day: time; a whole day: date; else timestamp). Kafka parses leniently, so a field out of
/// range rolls over (month 13 is January next year); that is kept. Kafka uses the JVM's time zone despite the
/// <c>Z</c>; this uses UTC, which is what a UTC JVM (the norm for Connect) does.
/// </summary>
internal static class IsoTemporal
{
    private const long MillisPerDay = 24L * 60 * 60 * 1000;
    private const int DateLength = 10;
    private const int TimeLength = 13;
    private const int TimestampLength = 24;

    /// <summary>The token as a Date, Time or Timestamp (escaped colons allowed), or null when it is none of them.</summary>
    public static SchemaAndValue? Parse(string? token)
    {
        if (token is null)
        {
            return null;
        }

        token = token.Replace("\\:", ":", StringComparison.Ordinal);
        return token.Length switch
        {
            TimeLength => Parse(token, LogicalTypes.TimeSchema, "H:m:s.S'Z'"),
            TimestampLength => Parse(token, LogicalTypes.TimestampSchema, "y-M-d'T'H:m:s.S'Z'"),
            DateLength => Parse(token, LogicalTypes.DateSchema, "y-M-d"),
            _ => null,
        };
    }

    public static string Format(DateTime value)
    {
        var millis = LogicalTypes.FromTimestamp(value);
        var utc = DateTime.UnixEpoch.AddMilliseconds(millis);
        if (millis < MillisPerDay)
        {
            return utc.ToString("HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        }

        return millis % MillisPerDay == 0
            ? utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A lenient parse in the manner of <c>SimpleDateFormat</c>: each letter of <paramref name="pattern"/> reads a run of
    /// digits, each quoted or other character must match; text after the pattern is ignored.
    /// </summary>
    private static SchemaAndValue? Parse(string token, Schema schema, string pattern)
    {
        var fields = new Dictionary<char, long> { ['y'] = 1970, ['M'] = 1, ['d'] = 1 };
        var at = 0;
        var quoted = false;
        foreach (var p in pattern)
        {
            if (p == '\'')
            {
                quoted = !quoted;
                continue;
            }

            if (!quoted && char.IsAsciiLetter(p))
            {
                var start = at;
                while (at < token.Length && char.IsAsciiDigit(token[at]) && at - start < 18)
                {
                    at++;
                }

                if (at == start)
                {
                    return null;
                }

                fields[p] = long.Parse(token.AsSpan(start, at - start), CultureInfo.InvariantCulture);
                continue;
            }

            if (at >= token.Length || token[at] != p)
            {
                return null;
            }

            at++;
        }

        if (fields['y'] is < 1 or > 9999)
        {
            return null;
        }

        try
        {
            var value = new DateTime((int)fields['y'], 1, 1, 0, 0, 0, DateTimeKind.Utc)
                .AddMonths((int)(fields['M'] - 1))
                .AddDays(fields['d'] - 1)
                .AddHours(fields.GetValueOrDefault('H'))
                .AddMinutes(fields.GetValueOrDefault('m'))
                .AddSeconds(fields.GetValueOrDefault('s'))
                .AddMilliseconds(fields.GetValueOrDefault('S'));
            return new SchemaAndValue(schema, value);
        }
        catch (ArgumentException)
        {
            // Outside what DateTime holds (year 0 or past 9999): not a temporal value here.
            return null;
        }
    }
}

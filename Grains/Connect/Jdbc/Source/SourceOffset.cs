using System.Globalization;

namespace Tributary.Grains.Connect.Jdbc.Source;

/// <summary>
/// How far a table has been read (kafka-connect-jdbc's <c>TimestampIncrementingOffset</c>): the last incrementing id
/// and the last timestamp, stored as Connect source offsets <c>{"incrementing": n}</c> and/or
/// <c>{"timestamp": ms, "timestamp_nanos": nanos}</c>, where nanos are the nanoseconds within the second, so that a
/// microsecond timestamp resumes exactly.
/// </summary>
public sealed record SourceOffset(long? Incrementing, DateTime? Timestamp)
{
    public const string IncrementingField = "incrementing";
    public const string TimestampField = "timestamp";
    public const string TimestampNanosField = "timestamp_nanos";

    public static readonly SourceOffset Empty = new(null, null);

    public IReadOnlyDictionary<string, object?> ToMap()
    {
        if (Timestamp is null && Incrementing is { } only)
        {
            return new IncrementingOffsetMap(only);
        }

        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (Incrementing is { } id)
        {
            map[IncrementingField] = id;
        }

        if (Timestamp is { } timestamp)
        {
            var sinceEpoch = timestamp - DateTime.UnixEpoch;
            var millis = (long)Math.Floor(sinceEpoch.TotalMilliseconds);
            map[TimestampField] = millis;
            var secondTicks = sinceEpoch.Ticks - (long)Math.Floor(sinceEpoch.TotalSeconds) * TimeSpan.TicksPerSecond;
            map[TimestampNanosField] = secondTicks * 100;
        }

        return map;
    }

    /// <summary>Reads a stored offset; numbers may come back as any numeric type (JSON), nanos may be missing (older offsets).</summary>
    public static SourceOffset FromMap(IReadOnlyDictionary<string, object?>? map)
    {
        if (map is null)
        {
            return Empty;
        }

        long? incrementing = map.TryGetValue(IncrementingField, out var id) && id is not null
            ? Convert.ToInt64(id, CultureInfo.InvariantCulture)
            : null;
        DateTime? timestamp = null;
        if (map.TryGetValue(TimestampField, out var ms) && ms is not null)
        {
            var millis = Convert.ToInt64(ms, CultureInfo.InvariantCulture);
            var value = DateTime.UnixEpoch.AddMilliseconds(millis);
            if (map.TryGetValue(TimestampNanosField, out var ns) && ns is not null)
            {
                var seconds = Math.Floor(millis / 1000.0);
                value = DateTime.UnixEpoch.AddSeconds(seconds).AddTicks(Convert.ToInt64(ns, CultureInfo.InvariantCulture) / 100);
            }

            timestamp = DateTime.SpecifyKind(value, DateTimeKind.Utc);
        }

        return new SourceOffset(incrementing, timestamp);
    }
}

using System.Globalization;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Sink;

namespace Tributary.Grains.Connect.Storage.Partitioner;

/// <summary>
/// Confluent's <c>TimeBasedPartitioner</c>: each record goes under the start of its time bucket
/// (<c>partition.duration.ms</c> long, counted in <c>timezone</c>'s local time, so a daily bucket starts at local
/// midnight) written with <c>path.format</c> in <c>locale</c>; the record's time comes from <c>timestamp.extractor</c>.
/// <see cref="HourlyPartitioner"/> and <see cref="DailyPartitioner"/> fix the duration and the format. A record without
/// a time cannot be placed.
/// </summary>
public class TimeBasedPartitioner : Partitioner
{
    private readonly long _durationMs;
    private readonly JodaDateTimeFormat _format;
    private readonly TimestampExtractor _extractor;
    private readonly IReadOnlyList<string>? _fields;
    private readonly string _pathFormat;

    public TimeBasedPartitioner(PartitionerConfig config)
        : this(config, config.DurationMs, config.PathFormatPattern)
    {
    }

    protected TimeBasedPartitioner(PartitionerConfig config, long durationMs, string pathFormat)
        : base(config.Delimiter)
    {
        if (durationMs <= 0)
        {
            throw new ConfigException(PartitionerConfig.PartitionDurationMs, durationMs, "Partition duration needs to be a positive.");
        }

        if (string.IsNullOrWhiteSpace(pathFormat) || pathFormat == Delimiter)
        {
            throw new ConfigException(PartitionerConfig.PathFormat, pathFormat, "Path format cannot be empty.");
        }

        if (pathFormat.EndsWith(Delimiter, StringComparison.Ordinal))
        {
            pathFormat = pathFormat[..^Delimiter.Length];
        }

        _durationMs = durationMs;
        _pathFormat = pathFormat;
        var culture = Culture(config.LocaleName);
        _format = JodaDateTimeFormat.Parse(pathFormat, culture ?? CultureInfo.InvariantCulture, Zone(config.TimezoneName), PartitionerConfig.PathFormat);
        if (culture is null && _format.HasText)
        {
            throw new ConfigException(PartitionerConfig.Locale, config.LocaleName,
                "Month and day names are available in English only here; use an English locale or numeric fields in path.format.");
        }

        _extractor = TimestampExtractor.Create(config);
        _fields = HiveFields(pathFormat, Delimiter);
    }

    /// <summary>The partition columns, from the <c>name=</c> before each directory of the path format.</summary>
    public override IReadOnlyList<string> PartitionFields => _fields ?? throw new ConfigException(
        PartitionerConfig.PathFormat, _pathFormat, "Directory format is not Hive compatible: every directory needs the form 'name'=pattern.");

    public override string EncodePartition(SinkRecord record, long nowMs)
    {
        var timestamp = _extractor.Extract(record, nowMs) ?? throw new PartitionException(
            $"Unable to determine timestamp using timestamp.extractor {_extractor.GetType().Name} for record: {record}");
        return _format.Format(BucketStart(_durationMs, timestamp, _format.Zone));
    }

    /// <summary>The start of the bucket of <paramref name="durationMs"/> holding <paramref name="timestamp"/>, buckets counted in the zone's local time.</summary>
    public static long BucketStart(long durationMs, long timestamp, TimeZoneInfo zone)
    {
        var local = timestamp + (long)zone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(timestamp)).TotalMilliseconds;
        var bucket = local / durationMs * durationMs;
        // Back to UTC with the offset in force at that local time (the earlier one where the local time is ambiguous).
        var asLocal = DateTime.SpecifyKind(DateTime.UnixEpoch.AddMilliseconds(bucket), DateTimeKind.Unspecified);
        return bucket - (long)zone.GetUtcOffset(asLocal).TotalMilliseconds;
    }

    /// <summary>
    /// The culture of a Java locale name (<c>en_US</c>, <c>fr-FR</c>); the invariant culture's English names for an
    /// English locale where the runtime has no culture data; null for another locale without data, whose names
    /// a path format then cannot use (numbers are written the same in every locale).
    /// </summary>
    private static CultureInfo? Culture(string locale)
    {
        if (string.IsNullOrWhiteSpace(locale))
        {
            throw new ConfigException(PartitionerConfig.Locale, locale, "Locale cannot be empty.");
        }

        var name = locale.Replace('_', '-');
        if (!System.Text.RegularExpressions.Regex.IsMatch(name, "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$"))
        {
            throw new ConfigException(PartitionerConfig.Locale, locale, "Unknown locale.");
        }

        try
        {
            var culture = CultureInfo.GetCultureInfo(name, predefinedOnly: true);
            return culture;
        }
        catch (CultureNotFoundException)
        {
            return name.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? CultureInfo.InvariantCulture : null;
        }
    }

    internal static TimeZoneInfo Zone(string timezone)
    {
        if (string.IsNullOrWhiteSpace(timezone))
        {
            throw new ConfigException(PartitionerConfig.Timezone, timezone, "Timezone cannot be empty.");
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(timezone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ConfigException(PartitionerConfig.Timezone, timezone, $"The datetime zone id '{timezone}' is not recognised");
        }
    }

    private static IReadOnlyList<string>? HiveFields(string pathFormat, string delimiter)
    {
        var fields = new List<string>();
        foreach (var directory in pathFormat.Split(delimiter))
        {
            var equals = directory.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return null;
            }

            fields.Add(directory[..equals].Replace("'", "", StringComparison.Ordinal));
        }

        return fields;
    }
}

/// <summary>Confluent's <c>HourlyPartitioner</c>: hour buckets under <c>year=YYYY/month=MM/day=dd/hour=HH</c>.</summary>
public sealed class HourlyPartitioner(PartitionerConfig config) : TimeBasedPartitioner(
    config, 3_600_000, string.Join(config.Delimiter, "'year'=YYYY", "'month'=MM", "'day'=dd", "'hour'=HH"));

/// <summary>Confluent's <c>DailyPartitioner</c>: day buckets under <c>year=YYYY/month=MM/day=dd</c>.</summary>
public sealed class DailyPartitioner(PartitionerConfig config) : TimeBasedPartitioner(
    config, 86_400_000, string.Join(config.Delimiter, "'year'=YYYY", "'month'=MM", "'day'=dd"));

using System.Globalization;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;

namespace Tributary.Grains.Connect.Storage.Partitioner;

/// <summary>
/// The time a time-based partitioner files a record under (Confluent's <c>TimestampExtractor</c>s, chosen by
/// <c>timestamp.extractor</c>): <c>Wallclock</c> the time of writing, <c>Record</c> the record's Kafka timestamp,
/// <c>RecordField</c> a field of its value (<c>timestamp.field</c>, dotted for nested fields) holding epoch
/// milliseconds, a Timestamp or an ISO-8601 string. Null when the record has no such time.
/// </summary>
public abstract class TimestampExtractor
{
    private const string ClassPrefix = "io.confluent.connect.storage.partitioner.TimeBasedPartitioner$";

    public abstract long? Extract(SinkRecord record, long nowMs);

    /// <summary>Whether the time is the wall clock's, which moves on without records.</summary>
    public virtual bool IsWallclock => false;

    /// <summary>The extractor <c>timestamp.extractor</c> names, by short name or Confluent's class name.</summary>
    public static TimestampExtractor Create(PartitionerConfig config)
    {
        var name = config.TimestampExtractorName;
        var shortName = name.StartsWith(ClassPrefix, StringComparison.Ordinal) && name.EndsWith("TimestampExtractor", StringComparison.Ordinal)
            ? name[ClassPrefix.Length..^"TimestampExtractor".Length]
            : name;
        return shortName switch
        {
            "Wallclock" => new Wallclock(),
            "Record" => new RecordTime(),
            "RecordField" => new RecordField(config.TimestampFieldName),
            _ => throw new ConfigException(PartitionerConfig.TimestampExtractor, name, "Invalid timestamp extractor"),
        };
    }

    private sealed class Wallclock : TimestampExtractor
    {
        public override long? Extract(SinkRecord record, long nowMs) => nowMs;

        public override bool IsWallclock => true;
    }

    private sealed class RecordTime : TimestampExtractor
    {
        public override long? Extract(SinkRecord record, long nowMs) => record.Timestamp;
    }

    private sealed class RecordField(string field) : TimestampExtractor
    {
        public override long? Extract(SinkRecord record, long nowMs)
        {
            if (record.Value is not (Struct or System.Collections.IDictionary))
            {
                throw new PartitionException($"Error extracting timestamp from record field: {field}");
            }

            (Schema? Schema, object? Value) read;
            try
            {
                read = StructPaths.Get(record.Value, field);
            }
            catch (DataException e)
            {
                throw new PartitionException($"Error extracting timestamp from record field: {field}: {e.Message}");
            }

            return read.Value switch
            {
                null => null,
                DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)).ToUnixTimeMilliseconds(),
                long ms when read.Schema is null or { Type: SchemaType.Int64 } => ms,
                string text when read.Schema is null or { Type: SchemaType.String } => ParseIso(text),
                _ => throw new PartitionException(
                    $"Unsupported type '{read.Schema?.Type.ToString().ToLowerInvariant() ?? read.Value.GetType().Name}' for user-defined timestamp field."),
            };
        }

        // ISO-8601 date or date-time; without an offset it is UTC.
        private long ParseIso(string text) =>
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
                ? parsed.ToUnixTimeMilliseconds()
                : throw new PartitionException($"Unable to parse the timestamp field {field} value '{text}' as an ISO-8601 date-time.");
    }
}

using System.Globalization;
using Tributary.Grains.Connect.Api.Config;

namespace Tributary.Grains.Connect.Storage.Partitioner;

/// <summary>
/// The partitioner settings of Confluent's storage connectors (<c>PartitionerConfig</c> and <c>directory.delim</c> of
/// <c>StorageCommonConfig</c>), with their names and defaults, read from a connector's configuration.
/// </summary>
public sealed class PartitionerConfig
{
    public const string PartitionerClass = "partitioner.class";
    public const string PartitionFieldName = "partition.field.name";
    public const string PartitionDurationMs = "partition.duration.ms";
    public const string PathFormat = "path.format";
    public const string Locale = "locale";
    public const string Timezone = "timezone";
    public const string TimestampExtractor = "timestamp.extractor";
    public const string TimestampField = "timestamp.field";
    public const string DirectoryDelim = "directory.delim";

    public const string DefaultPartitionerClass = "io.confluent.connect.storage.partitioner.DefaultPartitioner";

    public PartitionerConfig(IReadOnlyDictionary<string, string> config)
    {
        string Get(string name, string fallback) => config.TryGetValue(name, out var value) ? value.Trim() : fallback;

        ClassName = Get(PartitionerClass, DefaultPartitionerClass);
        FieldNames = [.. Get(PartitionFieldName, "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
        var duration = Get(PartitionDurationMs, "-1");
        DurationMs = long.TryParse(duration, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
            ? ms
            : throw new ConfigException(PartitionDurationMs, duration, "Expected value to be a 64-bit integer (a long), but it was a java.lang.String");
        PathFormatPattern = Get(PathFormat, "");
        LocaleName = Get(Locale, "");
        TimezoneName = Get(Timezone, "");
        TimestampExtractorName = Get(TimestampExtractor, "Wallclock");
        TimestampFieldName = Get(TimestampField, "timestamp");
        Delimiter = config.TryGetValue(DirectoryDelim, out var delim) ? delim : "/";
    }

    public string ClassName { get; }

    public IReadOnlyList<string> FieldNames { get; }

    public long DurationMs { get; }

    public string PathFormatPattern { get; }

    public string LocaleName { get; }

    public string TimezoneName { get; }

    public string TimestampExtractorName { get; }

    public string TimestampFieldName { get; }

    public string Delimiter { get; }
}

using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Storage.Sink;

namespace Tributary.Grains.Connect.Storage.Formats;

/// <summary>
/// The formats <c>format.class</c> names: the class names of Confluent's HDFS, Azure Blob Storage and S3 sinks
/// (<c>io.confluent.connect.hdfs.parquet.ParquetFormat</c>, <c>io.confluent.connect.azure.blob.format.avro.AvroFormat</c>,
/// ...) or their simple names, each with its own keys (<c>avro.codec</c>, <c>parquet.codec</c>, ...).
/// </summary>
public static class RecordWriterProviders
{
    private static readonly string[] Packages =
    [
        "io.confluent.connect.hdfs.", "io.confluent.connect.hdfs3.", "io.confluent.connect.azure.blob.format.",
        "io.confluent.connect.azure.datalake.gen2.format.", "io.confluent.connect.s3.format.", "io.confluent.connect.gcs.format.",
    ];

    public static IRecordWriterProvider Create(StorageSinkConfig config)
    {
        var settings = config.Originals;
        string Get(string key, string fallback) => settings.TryGetValue(key, out var value) ? value : fallback;
        return SimpleName(config.FormatClass) switch
        {
            "avro.AvroFormat" or "AvroFormat" => new AvroFormat(Get(StorageSinkConfig.AvroCodecConfig, "null")),
            "parquet.ParquetFormat" or "ParquetFormat" => new ParquetFormat(Get(ParquetFormat.CodecConfig, "snappy")),
            "json.JsonFormat" or "JsonFormat" => new JsonFormat(Get(JsonFormat.DecimalFormatConfig, "BASE64").ToUpperInvariant()),
            "string.StringFormat" or "StringFormat" => new StringFormat(),
            "bytearray.ByteArrayFormat" or "ByteArrayFormat" =>
                new ByteArrayFormat(Get(ByteArrayFormat.ExtensionConfig, ".bin"), Get(ByteArrayFormat.SeparatorConfig, "\n")),
            "orc.OrcFormat" or "OrcFormat" => throw new ConfigException(StorageSinkConfig.FormatClassConfig, config.FormatClass,
                "ORC files are not written here; use Parquet, Avro, JSON, String or ByteArray."),
            _ => throw new ConfigException(StorageSinkConfig.FormatClassConfig, config.FormatClass, "Class not found: no such format."),
        };
    }

    private static string SimpleName(string className)
    {
        foreach (var package in Packages)
        {
            if (className.StartsWith(package, StringComparison.Ordinal))
            {
                return className[package.Length..];
            }
        }

        return className;
    }
}

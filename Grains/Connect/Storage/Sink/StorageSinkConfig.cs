using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Storage.Formats;
using Tributary.Grains.Connect.Storage.Partitioner;
using Tributary.Grains.Connect.Storage.Stores;

namespace Tributary.Grains.Connect.Storage.Sink;

/// <summary>
/// The storage sinks' configuration, with the names and defaults of Confluent's HDFS and Azure Blob Storage sinks
/// (<c>HdfsSinkConnectorConfig</c>, <c>StorageCommonConfig</c>, <c>StorageSinkConnectorConfig</c>): where files go
/// (<c>store.url</c>, <c>topics.dir</c>, <c>logs.dir</c>), in which format, and when a file is committed
/// (<c>flush.size</c>, <c>rotate.interval.ms</c>, <c>rotate.schedule.interval.ms</c>); the partitioner's keys are
/// <see cref="PartitionerConfig"/>'s.
/// </summary>
public sealed class StorageSinkConfig
{
    public const string StoreUrlConfig = "store.url";
    public const string HdfsUrlConfig = "hdfs.url";
    public const string StorageClassConfig = "storage.class";
    public const string TopicsDirConfig = "topics.dir";
    public const string LogsDirConfig = "logs.dir";
    public const string FormatClassConfig = "format.class";
    public const string FlushSizeConfig = "flush.size";
    public const string RotateIntervalMsConfig = "rotate.interval.ms";
    public const string RotateScheduleIntervalMsConfig = "rotate.schedule.interval.ms";
    public const string RetryBackoffMsConfig = "retry.backoff.ms";
    public const string ZeroPadWidthConfig = "filename.offset.zero.pad.width";
    public const string SchemaCompatibilityConfig = "schema.compatibility";
    public const string AvroCodecConfig = "avro.codec";
    public const string HiveIntegrationConfig = "hive.integration";
    public const string HiveDatabaseConfig = "hive.database";
    public const string HiveTableNameConfig = "hive.table.name";

    private const string StorageGroup = "Storage";
    private const string AzureGroup = "Azure";
    private const string ConnectorGroup = "Connector";
    private const string SchemaGroup = "Schema";
    private const string HiveGroup = "Hive";
    private const string PartitionerGroup = "Partitioner";

    public static readonly ConfigDef Definition = new ConfigDef()
        .Define(StoreUrlConfig, ConfigType.String, Importance.High,
            "The store's URL: file:///path for the local file system, azblob://container/prefix or an account's blob URL " +
            "(https://account.blob.core.windows.net/container/prefix) for Azure Blob Storage and ADLS.",
            defaultValue: null, group: StorageGroup, orderInGroup: 1, displayName: "Store URL")
        .Define(HdfsUrlConfig, ConfigType.String, Importance.High,
            "The HDFS connector's older name for store.url, used when store.url is not set.",
            defaultValue: null, group: StorageGroup, orderInGroup: 2, displayName: "HDFS URL")
        .Define(StorageClassConfig, ConfigType.String, Importance.High,
            "The store's class: io.confluent.connect.hdfs.storage.HdfsStorage (a file:// URL) or " +
            "io.confluent.connect.azure.blob.storage.AzureBlobStorage; by default the one the URL names.",
            defaultValue: "", group: StorageGroup, orderInGroup: 3, displayName: "Storage Class")
        .Define(AzureBlobStorage.ConnectionStringConfig, ConfigType.Password, Importance.High,
            "The Azure Storage connection string of an azblob:// store (it holds the account key: hidden in the REST API's answers).",
            defaultValue: null, group: AzureGroup, orderInGroup: 1, displayName: "Azure Blob Storage Connection String")
        .Define(AzureBlobStorage.AccountNameConfig, ConfigType.String, Importance.High,
            "The storage account's name, with azblob.account.key, when there is no connection string.",
            defaultValue: null, group: AzureGroup, orderInGroup: 2, displayName: "Azure Blob Storage Account Name")
        .Define(AzureBlobStorage.AccountKeyConfig, ConfigType.Password, Importance.High,
            "The storage account's key.",
            defaultValue: null, group: AzureGroup, orderInGroup: 3, displayName: "Azure Blob Storage Account Key")
        .Define(AzureBlobStorage.SasTokenConfig, ConfigType.Password, Importance.High,
            "A shared access signature for the container's URL, instead of the account key.",
            defaultValue: null, group: AzureGroup, orderInGroup: 4, displayName: "Azure Blob Storage SAS Token")
        .Define(AzureBlobStorage.ContainerNameConfig, ConfigType.String, Importance.High,
            "The container, when the store's URL names none.",
            defaultValue: null, group: AzureGroup, orderInGroup: 5, displayName: "Azure Blob Storage Container Name")
        .Define(TopicsDirConfig, ConfigType.String, Importance.High,
            "Top level directory to store the data ingested from Kafka.",
            defaultValue: "topics", validator: Validators.NonEmptyString, group: StorageGroup, orderInGroup: 4, displayName: "Topics directory")
        .Define(LogsDirConfig, ConfigType.String, Importance.High,
            "Top level directory to store the write ahead logs.",
            defaultValue: "logs", validator: Validators.NonEmptyString, group: StorageGroup, orderInGroup: 5, displayName: "Logs directory")
        .Define(FormatClassConfig, ConfigType.String, Importance.High,
            "The format class to use when writing data to the store: Avro, Parquet, JSON, String or ByteArray, by " +
            "Confluent's class names of the HDFS, Azure Blob Storage or S3 sink.",
            defaultValue: "io.confluent.connect.hdfs.avro.AvroFormat", group: ConnectorGroup, orderInGroup: 1, displayName: "Format class")
        .Define(FlushSizeConfig, ConfigType.Int, Importance.High,
            "Number of records written to store before invoking file commits.",
            required: true, validator: Validators.AtLeast(1), group: ConnectorGroup, orderInGroup: 2, displayName: "Flush Size")
        .Define(RotateIntervalMsConfig, ConfigType.Long, Importance.High,
            "The time interval in milliseconds to invoke file commits, measured by the timestamp extractor's time of " +
            "the records (the wall clock with Wallclock) from the first record of the files. -1 disables it.",
            defaultValue: -1L, group: ConnectorGroup, orderInGroup: 3, displayName: "Rotate Interval (ms)")
        .Define(RotateScheduleIntervalMsConfig, ConfigType.Long, Importance.Medium,
            "The time interval in milliseconds to periodically invoke file commits, on the wall clock and aligned to " +
            "the start of the day in timezone. -1 disables it.",
            defaultValue: -1L, group: ConnectorGroup, orderInGroup: 4, displayName: "Rotate Schedule Interval (ms)")
        .Define(RetryBackoffMsConfig, ConfigType.Long, Importance.Low,
            "The retry backoff in milliseconds after a failure to write to or commit in the store.",
            defaultValue: 5000L, validator: Validators.AtLeast(0), group: ConnectorGroup, orderInGroup: 5, displayName: "Retry Backoff (ms)")
        .Define(ZeroPadWidthConfig, ConfigType.Int, Importance.Low,
            "Width to zero-pad offsets in store's filenames if offsets are too short in order to provide fixed-width " +
            "filenames that can be ordered by simple lexicographic sorting.",
            defaultValue: CommittedFileNameWidth, validator: Validators.AtLeast(0), group: ConnectorGroup, orderInGroup: 6,
            displayName: "Filename Offset Zero Pad Width")
        .Define(AvroCodecConfig, ConfigType.String, Importance.Low,
            "The Avro compression codec to be used for output files. Available values: null, deflate, snappy and zstandard.",
            defaultValue: "null", validator: Validators.In("null", "deflate", "snappy", "zstandard", "zstd"), group: ConnectorGroup,
            orderInGroup: 7, displayName: "Avro Compression Codec")
        .Define(ParquetFormat.CodecConfig, ConfigType.String, Importance.Low,
            "The Parquet compression codec to be used for output files. Available values: none, snappy, gzip, zstd, lz4.",
            defaultValue: "snappy", validator: Validators.InIgnoringCase("none", "uncompressed", "snappy", "gzip", "zstd", "lz4"),
            group: ConnectorGroup, orderInGroup: 8, displayName: "Parquet Compression Codec")
        .Define(JsonFormat.DecimalFormatConfig, ConfigType.String, Importance.Low,
            "How the JSON format writes decimals: BASE64 (their bytes) or NUMERIC (as numbers).",
            defaultValue: "BASE64", validator: Validators.InIgnoringCase("BASE64", "NUMERIC"), group: ConnectorGroup, orderInGroup: 9,
            displayName: "JSON Decimal Format")
        .Define(SchemaCompatibilityConfig, ConfigType.String, Importance.High,
            "The schema compatibility rule to use when the connector is observing schema changes: NONE rotates files " +
            "on every schema change; BACKWARD, FULL and FORWARD project records to the newest (FORWARD: oldest) schema " +
            "seen and rotate only when it changes.",
            defaultValue: "NONE", validator: Validators.In("NONE", "BACKWARD", "FORWARD", "FULL"), group: SchemaGroup, orderInGroup: 1,
            displayName: "Schema Compatibility")
        .Define(HiveIntegrationConfig, ConfigType.Boolean, Importance.High,
            "Keep, beside the data of each topic, its table's current schema and partitions (in _hive/, see the README), " +
            "so query engines can load the files as a table. Requires schema.compatibility BACKWARD, FORWARD or FULL.",
            defaultValue: false, group: HiveGroup, orderInGroup: 1, displayName: "Hive Integration")
        .Define(HiveDatabaseConfig, ConfigType.String, Importance.High,
            "The database the tables belong to, named in their metadata.",
            defaultValue: "default", group: HiveGroup, orderInGroup: 2, displayName: "Hive database")
        .Define(HiveTableNameConfig, ConfigType.String, Importance.Low,
            "The table name, in which ${topic} stands for the topic's.",
            defaultValue: "${topic}", group: HiveGroup, orderInGroup: 3, displayName: "Hive table name")
        .Define(PartitionerConfig.PartitionerClass, ConfigType.String, Importance.High,
            "The partitioner to use when writing data to the store: DefaultPartitioner, FieldPartitioner, " +
            "TimeBasedPartitioner, HourlyPartitioner or DailyPartitioner (io.confluent.connect.storage.partitioner).",
            defaultValue: PartitionerConfig.DefaultPartitionerClass, group: PartitionerGroup, orderInGroup: 1, displayName: "Partitioner Class")
        .Define(PartitionerConfig.PartitionFieldName, ConfigType.List, Importance.Medium,
            "The name of the partitioning field when FieldPartitioner is used.",
            defaultValue: "", group: PartitionerGroup, orderInGroup: 2, displayName: "Partition Field Name")
        .Define(PartitionerConfig.PartitionDurationMs, ConfigType.Long, Importance.Medium,
            "The duration of a partition milliseconds used by TimeBasedPartitioner.",
            defaultValue: -1L, group: PartitionerGroup, orderInGroup: 3, displayName: "Partition Duration (ms)")
        .Define(PartitionerConfig.PathFormat, ConfigType.String, Importance.Medium,
            "This configuration is used to set the format of the data directories when partitioning with " +
            "TimeBasedPartitioner, e.g. 'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH.",
            defaultValue: "", group: PartitionerGroup, orderInGroup: 4, displayName: "Path Format")
        .Define(PartitionerConfig.Locale, ConfigType.String, Importance.Medium,
            "The locale to use when partitioning with TimeBasedPartitioner.",
            defaultValue: "", group: PartitionerGroup, orderInGroup: 5, displayName: "Locale")
        .Define(PartitionerConfig.Timezone, ConfigType.String, Importance.Medium,
            "The timezone to use when partitioning with TimeBasedPartitioner and for rotate.schedule.interval.ms.",
            defaultValue: "", group: PartitionerGroup, orderInGroup: 6, displayName: "Timezone")
        .Define(PartitionerConfig.TimestampExtractor, ConfigType.String, Importance.Medium,
            "The extractor that gets the timestamp for records when partitioning with TimeBasedPartitioner and for " +
            "rotate.interval.ms: Wallclock, Record or RecordField.",
            defaultValue: "Wallclock", group: PartitionerGroup, orderInGroup: 7, displayName: "Timestamp Extractor")
        .Define(PartitionerConfig.TimestampField, ConfigType.String, Importance.Medium,
            "The record field to be used as timestamp by the timestamp extractor RecordField.",
            defaultValue: "timestamp", group: PartitionerGroup, orderInGroup: 8, displayName: "Record Field for Timestamp Extractor")
        .Define(PartitionerConfig.DirectoryDelim, ConfigType.String, Importance.Medium,
            "Directory delimiter pattern.",
            defaultValue: "/", group: PartitionerGroup, orderInGroup: 9, displayName: "Directory Delimiter");

    private const int CommittedFileNameWidth = Files.CommittedFileName.DefaultZeroPadWidth;

    private StorageSinkConfig(ParsedConfig config)
    {
        Originals = config.Originals;
        var url = config.GetString(StoreUrlConfig) ?? config.GetString(HdfsUrlConfig);
        StoreUrl = string.IsNullOrWhiteSpace(url) ? null : url.Trim();
        StorageClass = config.GetString(StorageClassConfig)!.Trim();
        TopicsDir = config.GetString(TopicsDirConfig)!.Trim().Trim('/');
        LogsDir = config.GetString(LogsDirConfig)!.Trim().Trim('/');
        FormatClass = config.GetString(FormatClassConfig)!.Trim();
        FlushSize = config.GetInt(FlushSizeConfig);
        RotateIntervalMs = config.GetLong(RotateIntervalMsConfig);
        RotateScheduleIntervalMs = config.GetLong(RotateScheduleIntervalMsConfig);
        RetryBackoffMs = config.GetLong(RetryBackoffMsConfig);
        ZeroPadWidth = config.GetInt(ZeroPadWidthConfig);
        Compatibility = Enum.Parse<StorageSchemaCompatibility>(config.GetString(SchemaCompatibilityConfig)!, ignoreCase: true);
        HiveIntegration = config.GetBoolean(HiveIntegrationConfig);
        HiveDatabase = config.GetString(HiveDatabaseConfig)!;
        HiveTableName = config.GetString(HiveTableNameConfig)!;
        Partitioner = new PartitionerConfig(config.Originals);
        if (HiveIntegration && Compatibility == StorageSchemaCompatibility.None)
        {
            throw new ConfigException(SchemaCompatibilityConfig, "NONE",
                "Hive Integration requires schema compatibility to be BACKWARD, FORWARD or FULL");
        }

        if (RotateScheduleIntervalMs > 0)
        {
            ScheduleZone = TimeBasedPartitioner.Zone(Partitioner.TimezoneName);
        }
    }

    public IReadOnlyDictionary<string, string> Originals { get; }

    public string? StoreUrl { get; }

    public string StorageClass { get; }

    public string TopicsDir { get; }

    public string LogsDir { get; }

    public string FormatClass { get; }

    public int FlushSize { get; }

    public long RotateIntervalMs { get; }

    public long RotateScheduleIntervalMs { get; }

    /// <summary>The zone whose days <c>rotate.schedule.interval.ms</c> is aligned to; null without a schedule.</summary>
    public TimeZoneInfo? ScheduleZone { get; }

    public long RetryBackoffMs { get; }

    public int ZeroPadWidth { get; }

    public StorageSchemaCompatibility Compatibility { get; }

    public bool HiveIntegration { get; }

    public string HiveDatabase { get; }

    public string HiveTableName { get; }

    public PartitionerConfig Partitioner { get; }

    /// <summary>The configuration, or a <see cref="ConfigException"/> naming the first key that is missing or wrong.</summary>
    public static StorageSinkConfig Parse(IReadOnlyDictionary<string, string> properties) => new(Definition.Parse(properties));
}

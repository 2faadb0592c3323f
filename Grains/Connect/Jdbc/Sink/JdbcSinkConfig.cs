using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Jdbc.Connection;

namespace Tributary.Grains.Connect.Jdbc.Sink;

/// <summary>
/// The JDBC sink's configuration (kafka-connect-jdbc's <c>JdbcSinkConfig</c>): the shared <c>connection.*</c> keys
/// plus how records become rows (<c>insert.mode</c>, <c>pk.mode</c>, <c>pk.fields</c>, <c>fields.whitelist</c>,
/// <c>table.name.format</c>, <c>delete.enabled</c>), what DDL the sink may issue (<c>auto.create</c>,
/// <c>auto.evolve</c>), how it batches and how it retries. Names, defaults and messages are Confluent's so that
/// existing configurations run unchanged.
/// </summary>
public sealed class JdbcSinkConfig
{
    public const string TableNameFormatConfig = "table.name.format";
    public const string MaxRetriesConfig = "max.retries";
    public const string RetryBackoffMsConfig = "retry.backoff.ms";
    public const string BatchSizeConfig = "batch.size";
    public const string DeleteEnabledConfig = "delete.enabled";
    public const string AutoCreateConfig = "auto.create";
    public const string AutoEvolveConfig = "auto.evolve";
    public const string InsertModeConfig = "insert.mode";
    public const string PkFieldsConfig = "pk.fields";
    public const string PkModeConfig = "pk.mode";
    public const string FieldsWhitelistConfig = "fields.whitelist";
    public const string DateTimezoneConfig = "date.timezone";
    public const string TrimSensitiveLogConfig = "trim.sensitive.log";

    /// <summary>The columns of <c>pk.mode=kafka</c> when <c>pk.fields</c> names none.</summary>
    public static readonly IReadOnlyList<string> DefaultKafkaPkNames = ["__connect_topic", "__connect_partition", "__connect_offset"];

    private const string WritesGroup = "Writes";
    private const string DataMappingGroup = "Data Mapping";
    private const string DdlGroup = "DDL Support";
    private const string RetriesGroup = "Retries";

    public static readonly ConfigDef Definition = JdbcConnectionConfig.Define(new ConfigDef())
        .Define(InsertModeConfig, ConfigType.String, Importance.High,
            "The insertion mode to use: insert (plain INSERT), upsert (insert or replace the row with the same key) or update (UPDATE).",
            defaultValue: "insert", validator: EnumValidator("insert", "upsert", "update"), group: WritesGroup, orderInGroup: 1,
            displayName: "Insert Mode")
        .Define(BatchSizeConfig, ConfigType.Int, Importance.Medium,
            "Specifies how many records to attempt to batch together for insertion into the destination table, when possible.",
            defaultValue: 3000, validator: Validators.AtLeast(0), group: WritesGroup, orderInGroup: 2, displayName: "Batch Size")
        .Define(DeleteEnabledConfig, ConfigType.Boolean, Importance.Medium,
            "Whether to treat null record values as deletes. Requires pk.mode to be record_key.",
            defaultValue: false, group: WritesGroup, orderInGroup: 3, displayName: "Enable deletes")
        .Define(JdbcConfigNames.TableTypes, ConfigType.List, Importance.Low,
            "The comma-separated types of database tables to which the sink connector can write: TABLE (default), " +
            "PARTITIONED TABLE and VIEW.",
            defaultValue: "TABLE", validator: TableTypesValidator, group: WritesGroup, orderInGroup: 4, displayName: "Table Types")
        .Define(TableNameFormatConfig, ConfigType.String, Importance.Medium,
            "A format string for the destination table name, which may contain '${topic}' as a placeholder for the originating topic name.",
            defaultValue: "${topic}", validator: Validators.NonEmptyString, group: DataMappingGroup, orderInGroup: 1,
            displayName: "Table Name Format")
        .Define(PkModeConfig, ConfigType.String, Importance.High,
            "The primary key mode: none, kafka (the Kafka coordinates), record_key (fields of the record key) or " +
            "record_value (fields of the record value).",
            defaultValue: "none", validator: EnumValidator("none", "kafka", "record_key", "record_value"), group: DataMappingGroup,
            orderInGroup: 2, displayName: "Primary Key Mode")
        .Define(PkFieldsConfig, ConfigType.List, Importance.Medium,
            "List of comma-separated primary key field names, interpreted according to pk.mode.",
            defaultValue: "", group: DataMappingGroup, orderInGroup: 3, displayName: "Primary Key Fields")
        .Define(FieldsWhitelistConfig, ConfigType.List, Importance.Medium,
            "List of comma-separated record value field names. If empty, all fields from the record value are utilized, " +
            "otherwise used to filter to the desired fields.",
            defaultValue: "", group: DataMappingGroup, orderInGroup: 4, displayName: "Fields Whitelist")
        .Define(DateTimezoneConfig, ConfigType.String, Importance.Low,
            "The time zone DATE values are written in: DB_TIMEZONE (db.timezone's) or UTC.",
            defaultValue: "DB_TIMEZONE", validator: EnumValidator("db_timezone", "utc"), group: DataMappingGroup, orderInGroup: 6,
            displayName: "Time Zone used for Date")
        .Define(AutoCreateConfig, ConfigType.Boolean, Importance.Medium,
            "Whether to automatically create the destination table based on record schema if it is found to be missing by issuing CREATE.",
            defaultValue: false, group: DdlGroup, orderInGroup: 1, displayName: "Auto-Create")
        .Define(AutoEvolveConfig, ConfigType.Boolean, Importance.Medium,
            "Whether to automatically add columns in the table schema when found to be missing relative to the record schema by issuing ALTER.",
            defaultValue: false, group: DdlGroup, orderInGroup: 2, displayName: "Auto-Evolve")
        .Define(MaxRetriesConfig, ConfigType.Int, Importance.Medium,
            "The maximum number of times to retry on errors before failing the task.",
            defaultValue: 10, validator: Validators.AtLeast(0), group: RetriesGroup, orderInGroup: 1, displayName: "Maximum Retries")
        .Define(RetryBackoffMsConfig, ConfigType.Int, Importance.Medium,
            "The time in milliseconds to wait following an error before a retry attempt is made.",
            defaultValue: 3000, validator: Validators.AtLeast(0), group: RetriesGroup, orderInGroup: 2, displayName: "Retry Backoff (millis)")
        .Define(TrimSensitiveLogConfig, ConfigType.Boolean, Importance.Low,
            "Whether to keep record values out of logged and reported errors.", defaultValue: false, @internal: true);

    private JdbcSinkConfig(ParsedConfig config, string? connectorName)
    {
        Connection = JdbcConnectionConfig.From(config);
        ConnectorName = connectorName;
        TableNameFormat = config.GetString(TableNameFormatConfig)!.Trim();
        BatchSize = config.GetInt(BatchSizeConfig);
        DeleteEnabled = config.GetBoolean(DeleteEnabledConfig);
        MaxRetries = config.GetInt(MaxRetriesConfig);
        RetryBackoffMs = config.GetInt(RetryBackoffMsConfig);
        AutoCreate = config.GetBoolean(AutoCreateConfig);
        AutoEvolve = config.GetBoolean(AutoEvolveConfig);
        InsertMode = Enum.Parse<InsertMode>(config.GetString(InsertModeConfig)!, ignoreCase: true);
        PrimaryKeyMode = Enum.Parse<PrimaryKeyMode>(config.GetString(PkModeConfig)!.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);
        PkFields = config.GetList(PkFieldsConfig);
        FieldsWhitelist = config.GetList(FieldsWhitelistConfig).ToHashSet(StringComparer.Ordinal);
        TableTypes = [.. config.GetList(JdbcConfigNames.TableTypes).Select(t => t.Trim().ToUpperInvariant()).Distinct()];
        DateTimeZone = string.Equals(config.GetString(DateTimezoneConfig), "utc", StringComparison.OrdinalIgnoreCase)
            ? TimeZoneInfo.Utc
            : Connection.TimeZone;
        TrimSensitiveLog = config.GetBoolean(TrimSensitiveLogConfig);
        if (DeleteEnabled && PrimaryKeyMode != PrimaryKeyMode.RecordKey)
        {
            throw new ConfigException("Primary key mode must be 'record_key' when delete support is enabled");
        }
    }

    public JdbcConnectionConfig Connection { get; }

    /// <summary>The connector's <c>name</c>, which error messages quote; null when the properties carry none.</summary>
    public string? ConnectorName { get; }

    public string TableNameFormat { get; }

    public int BatchSize { get; }

    public bool DeleteEnabled { get; }

    public int MaxRetries { get; }

    public int RetryBackoffMs { get; }

    public bool AutoCreate { get; }

    public bool AutoEvolve { get; }

    public InsertMode InsertMode { get; }

    public PrimaryKeyMode PrimaryKeyMode { get; }

    public IReadOnlyList<string> PkFields { get; }

    public IReadOnlySet<string> FieldsWhitelist { get; }

    /// <summary><c>table.types</c>, upper-cased as the dialects' table listings take them.</summary>
    public IReadOnlyList<string> TableTypes { get; }

    /// <summary>The zone DATE values are written in: <c>db.timezone</c>'s unless <c>date.timezone=UTC</c>.</summary>
    public TimeZoneInfo DateTimeZone { get; }

    public bool TrimSensitiveLog { get; }

    /// <summary>Parses and checks <paramref name="properties"/>; throws <see cref="ConfigException"/> for the first problem.</summary>
    public static JdbcSinkConfig Parse(IReadOnlyDictionary<string, string> properties) =>
        new(Definition.Parse(properties), properties.GetValueOrDefault("name"));

    /// <summary>The <c>pk.mode</c> value as users write it (<c>record_key</c>).</summary>
    public static string PkModeName(PrimaryKeyMode mode) => mode switch
    {
        PrimaryKeyMode.RecordKey => "record_key",
        PrimaryKeyMode.RecordValue => "record_value",
        _ => mode.ToString().ToLowerInvariant(),
    };

    // Confluent's EnumValidator names no allowed values in its message; any case is accepted here.
    private static IConfigValidator EnumValidator(params string[] values) => Validators.From(
        (name, value) =>
        {
            if (value is not string text || !values.Contains(text, StringComparer.OrdinalIgnoreCase))
            {
                throw new ConfigException(name, value, "Invalid enumerator");
            }
        },
        "[" + string.Join(", ", values) + "]");

    private static IConfigValidator TableTypesValidator => Validators.From(
        (name, value) =>
        {
            foreach (var type in value as IEnumerable<string> ?? [])
            {
                if (!new[] { "TABLE", "VIEW", "PARTITIONED TABLE" }.Contains(type.Trim(), StringComparer.OrdinalIgnoreCase))
                {
                    throw new ConfigException(name, type, "Unknown table type; expected TABLE, VIEW or PARTITIONED TABLE");
                }
            }
        },
        "[TABLE, VIEW, PARTITIONED TABLE]");
}

using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Jdbc.Connection;
using Tributary.Grains.Connect.Jdbc.Schema;

namespace Tributary.Grains.Connect.Jdbc.Source;

/// <summary>
/// The source connector's configuration (kafka-connect-jdbc's <c>JdbcSourceConnectorConfig</c>, 10.8/10.9 names and
/// defaults): which tables or which query, how rows are tracked (<c>mode</c> and its columns), how often and how much
/// is read, and the topic names.
/// </summary>
public sealed class JdbcSourceConfig
{
    public const string TableWhitelist = "table.whitelist";
    public const string TableBlacklist = "table.blacklist";
    public const string TableIncludeList = "table.include.list";
    public const string TableExcludeList = "table.exclude.list";
    public const string SchemaPattern = "schema.pattern";
    public const string Mode = "mode";
    public const string IncrementingColumnName = "incrementing.column.name";
    public const string TimestampColumnName = "timestamp.column.name";
    public const string TimestampInitial = "timestamp.initial";
    public const string ValidateNonNull = "validate.non.null";
    public const string Query = "query";
    public const string QuerySuffix = "query.suffix";
    public const string PollIntervalMs = "poll.interval.ms";
    public const string BatchMaxRows = "batch.max.rows";
    public const string TablePollIntervalMs = "table.poll.interval.ms";
    public const string TopicPrefix = "topic.prefix";
    public const string TimestampDelayIntervalMs = "timestamp.delay.interval.ms";
    public const string NumericPrecisionMapping = "numeric.precision.mapping";
    public const string QueryRetryAttempts = "query.retry.attempts";

    /// <summary>The task configuration key listing the tables a task reads (a JSON array of qualified names).</summary>
    public const string Tables = "tables";

    /// <summary><c>timestamp.initial</c>'s value for "the database's current time".</summary>
    public const long TimestampInitialCurrent = -1;

    private const string ModeGroup = "Mode";
    private const string ConnectorGroup = "Connector";

    public static readonly ConfigDef Definition = JdbcConnectionConfig.Define(new ConfigDef())
        .Define(TableWhitelist, ConfigType.List, Importance.Medium,
            "List of tables to include in copying. If specified, table.blacklist may not be set. Use a comma-separated list.",
            defaultValue: "", group: JdbcConnectionConfig.DatabaseGroup, orderInGroup: 10, displayName: "Table Whitelist")
        .Define(TableBlacklist, ConfigType.List, Importance.Medium,
            "List of tables to exclude from copying. If specified, table.whitelist may not be set.",
            defaultValue: "", group: JdbcConnectionConfig.DatabaseGroup, orderInGroup: 11, displayName: "Table Blacklist")
        .Define(TableIncludeList, ConfigType.List, Importance.Medium,
            "List of tables to include in copying (the newer name of table.whitelist).",
            defaultValue: "", group: JdbcConnectionConfig.DatabaseGroup, orderInGroup: 12, displayName: "Table Include List")
        .Define(TableExcludeList, ConfigType.List, Importance.Medium,
            "List of tables to exclude from copying (the newer name of table.blacklist).",
            defaultValue: "", group: JdbcConnectionConfig.DatabaseGroup, orderInGroup: 13, displayName: "Table Exclude List")
        .Define(SchemaPattern, ConfigType.String, Importance.Medium,
            "Schema pattern (SQL LIKE) to fetch table metadata from the database; null lists every non-system schema.",
            group: JdbcConnectionConfig.DatabaseGroup, orderInGroup: 14, displayName: "Schema pattern")
        .Define(JdbcConfigNames.TableTypes, ConfigType.List, Importance.Low,
            "By default, the JDBC connector will only detect tables with type TABLE from the source Database. This config " +
            "allows a command separated list of table types to extract (TABLE, VIEW).",
            defaultValue: "TABLE", group: JdbcConnectionConfig.DatabaseGroup, orderInGroup: 15, displayName: "Table Types")
        .Define(NumericPrecisionMapping, ConfigType.Boolean, Importance.Low,
            "Whether or not to attempt mapping NUMERIC values by precision to integral types (deprecated: numeric.mapping).",
            defaultValue: false, group: JdbcConnectionConfig.DatabaseGroup, orderInGroup: 16, displayName: "Map Numeric Values By Precision (deprecated)")
        .Define(NumericMappings.ConfigName, ConfigType.String, Importance.Low,
            "Map NUMERIC values by precision and optionally scale to integral or decimal types: none, precision_only, best_fit, best_fit_eager_double.",
            validator: Validators.From(EnsureNumericMapping, "[none, precision_only, best_fit, best_fit_eager_double]"),
            group: JdbcConnectionConfig.DatabaseGroup, orderInGroup: 17, displayName: "Map Numeric Values, Integral or Decimal, By Precision and Scale")
        .Define(Mode, ConfigType.String, Importance.High,
            "The mode for updating a table each time it is polled: bulk, timestamp, incrementing, timestamp+incrementing.",
            defaultValue: "", validator: Validators.In("", "bulk", "timestamp", "incrementing", "timestamp+incrementing"),
            group: ModeGroup, orderInGroup: 1, displayName: "Table Loading Mode")
        .Define(IncrementingColumnName, ConfigType.String, Importance.Medium,
            "The name of the strictly incrementing column to use to detect new rows. Any empty value indicates the column should be autodetected.",
            defaultValue: "", group: ModeGroup, orderInGroup: 2, displayName: "Incrementing Column Name")
        .Define(TimestampColumnName, ConfigType.List, Importance.Medium,
            "Comma separated list of one or more timestamp columns to detect new or modified rows using the COALESCE SQL function.",
            defaultValue: "", group: ModeGroup, orderInGroup: 3, displayName: "Timestamp Column Name")
        .Define(TimestampInitial, ConfigType.Long, Importance.Low,
            "The epoch timestamp used for initial queries that use timestamp criteria. Use -1 to use the current time. " +
            "If not specified, all data will be retrieved.",
            group: ModeGroup, orderInGroup: 4, displayName: "Unix time value of initial timestamp")
        .Define(ValidateNonNull, ConfigType.Boolean, Importance.Low,
            "By default, the JDBC connector will validate that all incrementing and timestamp tables have NOT NULL set for " +
            "the columns being used as their ID/timestamp.",
            defaultValue: true, group: ModeGroup, orderInGroup: 5, displayName: "Validate Non Null")
        .Define(Query, ConfigType.String, Importance.Medium,
            "If specified, the query to perform to select new or updated rows. Use this setting if you want to join tables, " +
            "select subsets of columns in a table, or filter data.",
            defaultValue: "", group: ModeGroup, orderInGroup: 6, displayName: "Query")
        .Define(QuerySuffix, ConfigType.String, Importance.Low,
            "Suffix to append at the end of the generated query.",
            defaultValue: "", group: ModeGroup, orderInGroup: 7, displayName: "Query suffix")
        .Define(PollIntervalMs, ConfigType.Int, Importance.High,
            "Frequency in ms to poll for new data in each table.",
            defaultValue: 5000, validator: Validators.AtLeast(0), group: ConnectorGroup, orderInGroup: 1, displayName: "Poll Interval (ms)")
        .Define(BatchMaxRows, ConfigType.Int, Importance.Low,
            "Maximum number of rows to include in a single batch when polling for new data.",
            defaultValue: 100, validator: Validators.AtLeast(1), group: ConnectorGroup, orderInGroup: 2, displayName: "Max Rows Per Batch")
        .Define(TablePollIntervalMs, ConfigType.Long, Importance.Low,
            "Frequency in ms to poll for new or removed tables, which may result in updated task configurations to start " +
            "polling for data in added tables or stop polling for data in removed tables.",
            defaultValue: 60000L, validator: Validators.AtLeast(1), group: ConnectorGroup, orderInGroup: 3, displayName: "Metadata Change Monitoring Interval (ms)")
        .Define(TopicPrefix, ConfigType.String, Importance.High,
            "Prefix to prepend to table names to generate the name of the Kafka topic to publish data to, or in the case " +
            "of a custom query, the full name of the topic to publish to.",
            required: true, group: ConnectorGroup, orderInGroup: 4, displayName: "Topic Prefix")
        .Define(TimestampDelayIntervalMs, ConfigType.Long, Importance.High,
            "How long to wait after a row with certain timestamp appears before we include it in the result.",
            defaultValue: 0L, validator: Validators.AtLeast(0), group: ConnectorGroup, orderInGroup: 5, displayName: "Delay Interval (ms)")
        .Define(QueryRetryAttempts, ConfigType.Int, Importance.Low,
            "Number of times to retry SQL exceptions encountered when executing queries; -1 retries without end. " +
            "Errors that cannot pass (a bad query, a missing column) fail the task at once.",
            defaultValue: -1, validator: Validators.AtLeast(-1), group: ConnectorGroup, orderInGroup: 6, displayName: "Query Retry Attempts");

    private JdbcSourceConfig(ParsedConfig parsed)
    {
        Parsed = parsed;
        Connection = JdbcConnectionConfig.From(parsed);
        ModeName = parsed.GetString(Mode)!;
        IncrementingColumn = parsed.GetString(IncrementingColumnName)!;
        TimestampColumns = [.. parsed.GetList(TimestampColumnName).Where(c => c.Length > 0)];
        TimestampInitialMs = (long?)parsed.Get(TimestampInitial);
        ValidateNonNullColumns = parsed.GetBoolean(ValidateNonNull);
        QueryText = parsed.GetString(Query)!;
        Suffix = parsed.GetString(QuerySuffix)!;
        PollInterval = TimeSpan.FromMilliseconds(parsed.GetInt(PollIntervalMs));
        MaxRows = parsed.GetInt(BatchMaxRows);
        TablePollInterval = TimeSpan.FromMilliseconds(parsed.GetLong(TablePollIntervalMs));
        Prefix = parsed.GetString(TopicPrefix)!;
        TimestampDelay = TimeSpan.FromMilliseconds(parsed.GetLong(TimestampDelayIntervalMs));
        QueryRetries = parsed.GetInt(QueryRetryAttempts);
        var mapping = parsed.GetString(NumericMappings.ConfigName);
        NumericMapping = mapping is not null
            ? NumericMappings.Parse(mapping)
            : parsed.GetBoolean(NumericPrecisionMapping) ? NumericMapping.PrecisionOnly : NumericMapping.None;
        Include = [.. parsed.GetList(TableIncludeList).Concat(parsed.GetList(TableWhitelist)).Where(t => t.Length > 0)];
        Exclude = [.. parsed.GetList(TableExcludeList).Concat(parsed.GetList(TableBlacklist)).Where(t => t.Length > 0)];
        TableTypes = parsed.GetList(JdbcConfigNames.TableTypes);
        Schema = parsed.GetString(SchemaPattern);
    }

    public ParsedConfig Parsed { get; }

    public JdbcConnectionConfig Connection { get; }

    public string ModeName { get; }

    public string IncrementingColumn { get; }

    public IReadOnlyList<string> TimestampColumns { get; }

    public long? TimestampInitialMs { get; }

    public bool ValidateNonNullColumns { get; }

    public string QueryText { get; }

    public bool IsQueryMode => QueryText.Length > 0;

    public string Suffix { get; }

    public TimeSpan PollInterval { get; }

    public int MaxRows { get; }

    public TimeSpan TablePollInterval { get; }

    public string Prefix { get; }

    public TimeSpan TimestampDelay { get; }

    /// <summary>How many transient query errors in a row a table may have before the task fails; -1 for no end.</summary>
    public int QueryRetries { get; }

    public NumericMapping NumericMapping { get; }

    public IReadOnlyList<string> Include { get; }

    public IReadOnlyList<string> Exclude { get; }

    public IReadOnlyList<string> TableTypes { get; }

    public string? Schema { get; }

    public bool UsesIncrementing => ModeName is "incrementing" or "timestamp+incrementing";

    public bool UsesTimestamp => ModeName is "timestamp" or "timestamp+incrementing";

    /// <summary>Parses and checks the configuration; throws <see cref="ConfigException"/> for the first problem.</summary>
    public static JdbcSourceConfig Parse(IReadOnlyDictionary<string, string> properties)
    {
        var config = new JdbcSourceConfig(Definition.Parse(properties));
        foreach (var (key, message) in config.Problems())
        {
            throw new ConfigException(key, properties.GetValueOrDefault(key), message);
        }

        return config;
    }

    /// <summary>Checks across keys, as kafka-connect-jdbc's connector makes them: each as the key it concerns and the message.</summary>
    public IEnumerable<(string Key, string Message)> Problems()
    {
        if (ModeName.Length == 0)
        {
            yield return (Mode, "Query mode must be specified");
        }

        if (Parsed.GetList(TableWhitelist).Count > 0 && Parsed.GetList(TableBlacklist).Count > 0 ||
            Include.Count > 0 && Exclude.Count > 0)
        {
            yield return (TableWhitelist, "table.whitelist (table.include.list) and table.blacklist (table.exclude.list) are exclusive");
        }

        if (IsQueryMode && (Include.Count > 0 || Exclude.Count > 0))
        {
            yield return (Query, "Do not specify table filtering configs with 'query'");
        }

        if (UsesTimestamp && TimestampColumns.Count == 0)
        {
            yield return (TimestampColumnName, $"Mode {ModeName} needs at least one timestamp column in {TimestampColumnName}");
        }

        if (IsQueryMode && ModeName is "incrementing" or "timestamp+incrementing" && IncrementingColumn.Length == 0)
        {
            yield return (IncrementingColumnName, "A query in an incrementing mode needs incrementing.column.name: there is no table to find it in");
        }
    }

    private static void EnsureNumericMapping(string name, object? value)
    {
        if (value is string text && !NumericMappings.Names.Contains(text.Trim().ToLowerInvariant()))
        {
            throw new ConfigException(name, value, "Invalid value; must be one of none, precision_only, best_fit, best_fit_eager_double");
        }
    }
}

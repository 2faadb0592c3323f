using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Jdbc.Dialects;

namespace Tributary.Grains.Connect.Jdbc.Connection;

/// <summary>
/// The connection settings the source and the sink share, with kafka-connect-jdbc's names and defaults, and what they
/// make: the ADO.NET connection string, the dialect, the retry policy and the time zone of the database's
/// wall-clock times.
/// </summary>
public sealed class JdbcConnectionConfig
{
    public const string DatabaseGroup = "Database";

    public static ConfigDef Define(ConfigDef definition) => definition
        .Define(JdbcConfigNames.ConnectionUrl, ConfigType.String, Importance.High,
            "JDBC connection URL, e.g. jdbc:postgresql://localhost:5432/db or jdbc:sqlite:/path/file.db",
            required: true, validator: Validators.NonEmptyString, group: DatabaseGroup, orderInGroup: 1, displayName: "JDBC URL")
        .Define(JdbcConfigNames.ConnectionUser, ConfigType.String, Importance.High, "JDBC connection user.",
            group: DatabaseGroup, orderInGroup: 2, displayName: "JDBC User")
        .Define(JdbcConfigNames.ConnectionPassword, ConfigType.Password, Importance.High, "JDBC connection password.",
            group: DatabaseGroup, orderInGroup: 3, displayName: "JDBC Password")
        .Define(JdbcConfigNames.ConnectionAttempts, ConfigType.Int, Importance.Low,
            "Maximum number of attempts to retrieve a valid JDBC connection. Must be a positive integer.",
            defaultValue: 3, validator: Validators.AtLeast(1), group: DatabaseGroup, orderInGroup: 4, displayName: "JDBC connection attempts")
        .Define(JdbcConfigNames.ConnectionBackoffMs, ConfigType.Long, Importance.Low,
            "Backoff time in milliseconds between connection attempts.",
            defaultValue: 10000L, group: DatabaseGroup, orderInGroup: 5, displayName: "JDBC connection backoff in milliseconds")
        .Define(JdbcConfigNames.DialectName, ConfigType.String, Importance.Low,
            "The name of the database dialect that should be used for this connector. By default this is empty, and the " +
            "connector automatically determines the dialect based upon the JDBC connection URL.",
            defaultValue: "", validator: Validators.In(DatabaseDialects.Names), group: DatabaseGroup, orderInGroup: 6, displayName: "Database Dialect")
        .Define(JdbcConfigNames.QuoteSqlIdentifiers, ConfigType.String, Importance.Medium,
            "When to quote table names, column names, and other identifiers in SQL statements: always or never.",
            defaultValue: "always", validator: Validators.InIgnoringCase("always", "never"), group: DatabaseGroup, orderInGroup: 7,
            displayName: "Quote Identifiers")
        .Define(JdbcConfigNames.DbTimezone, ConfigType.String, Importance.Medium,
            "Name of the JDBC timezone used in the connector when querying with time-based criteria. Defaults to UTC.",
            defaultValue: "UTC", validator: Validators.From(EnsureTimeZone, "Any valid JDK time zone"), group: DatabaseGroup, orderInGroup: 8,
            displayName: "DB time zone");

    private JdbcConnectionConfig(JdbcUrl url, DatabaseDialect dialect, int attempts, TimeSpan backoff, TimeZoneInfo timeZone)
    {
        Url = url;
        Dialect = dialect;
        Attempts = attempts;
        Backoff = backoff;
        TimeZone = timeZone;
    }

    public JdbcUrl Url { get; }

    public DatabaseDialect Dialect { get; }

    public int Attempts { get; }

    public TimeSpan Backoff { get; }

    public TimeZoneInfo TimeZone { get; }

    public static JdbcConnectionConfig From(ParsedConfig config)
    {
        var url = JdbcUrl.Parse(
            config.GetString(JdbcConfigNames.ConnectionUrl)!, config.GetString(JdbcConfigNames.ConnectionUser),
            config.GetPassword(JdbcConfigNames.ConnectionPassword)?.Value);
        var quote = !string.Equals(config.GetString(JdbcConfigNames.QuoteSqlIdentifiers), "never", StringComparison.OrdinalIgnoreCase);
        return new JdbcConnectionConfig(
            url,
            DatabaseDialects.For(url, config.GetString(JdbcConfigNames.DialectName), quote),
            config.GetInt(JdbcConfigNames.ConnectionAttempts),
            TimeSpan.FromMilliseconds(config.GetLong(JdbcConfigNames.ConnectionBackoffMs)),
            TimeZoneInfo.FindSystemTimeZoneById(config.GetString(JdbcConfigNames.DbTimezone)!));
    }

    private static void EnsureTimeZone(string name, object? value)
    {
        if (value is not string id || !TimeZoneInfo.TryFindSystemTimeZoneById(id, out _))
        {
            throw new ConfigException(name, value, "Invalid time zone identifier");
        }
    }
}

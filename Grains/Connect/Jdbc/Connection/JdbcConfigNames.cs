namespace Tributary.Grains.Connect.Jdbc.Connection;

/// <summary>The configuration names the source and the sink share (kafka-connect-jdbc's <c>JdbcSourceConnectorConfig</c>/<c>JdbcSinkConfig</c>).</summary>
public static class JdbcConfigNames
{
    public const string ConnectionUrl = "connection.url";
    public const string ConnectionUser = "connection.user";
    public const string ConnectionPassword = "connection.password";
    public const string ConnectionAttempts = "connection.attempts";
    public const string ConnectionBackoffMs = "connection.backoff.ms";
    public const string DialectName = "dialect.name";
    public const string QuoteSqlIdentifiers = "quote.sql.identifiers";
    public const string DbTimezone = "db.timezone";
    public const string TableTypes = "table.types";
}

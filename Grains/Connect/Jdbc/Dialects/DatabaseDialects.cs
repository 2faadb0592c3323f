using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Jdbc.Connection;

namespace Tributary.Grains.Connect.Jdbc.Dialects;

/// <summary>
/// Picks the dialect for a connection (kafka-connect-jdbc's <c>DatabaseDialects</c>): the one <c>dialect.name</c>
/// names, or the one serving the URL's subprotocol when it is blank.
/// </summary>
public static class DatabaseDialects
{
    public static readonly string[] Names = ["", PostgreSqlDialect.DialectName, SqliteDialect.DialectName];

    public static DatabaseDialect For(JdbcUrl url, string? dialectName, bool quoteIdentifiers)
    {
        var name = string.IsNullOrWhiteSpace(dialectName)
            ? url.Subprotocol switch
            {
                JdbcUrl.PostgreSql => PostgreSqlDialect.DialectName,
                _ => SqliteDialect.DialectName,
            }
            : dialectName.Trim();
        return name switch
        {
            PostgreSqlDialect.DialectName when url.Subprotocol == JdbcUrl.PostgreSql => new PostgreSqlDialect(quoteIdentifiers),
            SqliteDialect.DialectName when url.Subprotocol == JdbcUrl.Sqlite => new SqliteDialect(quoteIdentifiers),
            PostgreSqlDialect.DialectName or SqliteDialect.DialectName => throw new ConfigException(
                JdbcConfigNames.DialectName, dialectName, $"The dialect {name} cannot serve a jdbc:{url.Subprotocol} URL"),
            _ => throw new ConfigException(
                JdbcConfigNames.DialectName, dialectName,
                $"Unknown dialect; supported are {PostgreSqlDialect.DialectName} and {SqliteDialect.DialectName}"),
        };
    }
}

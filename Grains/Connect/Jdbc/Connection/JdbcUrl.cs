using Microsoft.Data.Sqlite;
using Npgsql;
using Tributary.Grains.Connect.Api.Config;

namespace Tributary.Grains.Connect.Jdbc.Connection;

/// <summary>
/// A JDBC <c>connection.url</c> read as an ADO.NET connection string, so that configurations written for Confluent's
/// connector run unchanged: <c>jdbc:postgresql://host[:port]/database[?user=..&amp;password=..&amp;...]</c> and
/// <c>jdbc:sqlite:path</c> (or <c>jdbc:sqlite::memory:</c>). <c>connection.user</c> and <c>connection.password</c>
/// win over the URL's own <c>user</c>/<c>password</c> parameters, as the JDBC drivers' properties do.
/// </summary>
public sealed record JdbcUrl(string Subprotocol, string ConnectionString)
{
    public const string PostgreSql = "postgresql";
    public const string Sqlite = "sqlite";

    /// <summary>The connection string without its password, for log lines and error messages.</summary>
    public string Redacted { get; init; } = "";

    public static JdbcUrl Parse(string url, string? user, string? password)
    {
        const string prefix = "jdbc:";
        if (!url.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            throw new ConfigException(JdbcConfigNames.ConnectionUrl, url, "Not a JDBC URL: it must start with 'jdbc:'");
        }

        var rest = url[prefix.Length..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        var subprotocol = colon < 0 ? rest : rest[..colon];
        return subprotocol.ToLowerInvariant() switch
        {
            PostgreSql => ParsePostgreSql(url, rest[(colon + 1)..], user, password),
            Sqlite => ParseSqlite(rest[(colon + 1)..]),
            _ => throw new ConfigException(
                JdbcConfigNames.ConnectionUrl, url,
                $"No dialect serves the JDBC subprotocol '{subprotocol}'; supported are 'postgresql' and 'sqlite'"),
        };
    }

    private static JdbcUrl ParsePostgreSql(string url, string rest, string? user, string? password)
    {
        if (!rest.StartsWith("//", StringComparison.Ordinal))
        {
            throw new ConfigException(JdbcConfigNames.ConnectionUrl, url, "A PostgreSQL URL has the form jdbc:postgresql://host[:port]/database");
        }

        var question = rest.IndexOf('?', StringComparison.Ordinal);
        var query = question < 0 ? "" : rest[(question + 1)..];
        var authority = question < 0 ? rest[2..] : rest[2..question];
        var slash = authority.IndexOf('/', StringComparison.Ordinal);
        var hosts = slash < 0 ? authority : authority[..slash];
        var database = slash < 0 ? "" : Uri.UnescapeDataString(authority[(slash + 1)..]);
        var builder = new NpgsqlConnectionStringBuilder
        {
            // Npgsql takes "host1:port1,host2:port2" as PgJDBC does; an empty host means the local default.
            Host = hosts.Length == 0 ? "localhost" : hosts,
            ReadBufferSize = 65536,
        };
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var parameter in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? parameter : parameter[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(parameter[(equals + 1)..]);
            ApplyPostgreSqlParameter(builder, url, key, value);
        }

        if (!string.IsNullOrEmpty(user))
        {
            builder.Username = user;
        }

        if (!string.IsNullOrEmpty(password))
        {
            builder.Password = password;
        }

        var redacted = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Password = null };
        return new JdbcUrl(PostgreSql, builder.ConnectionString) { Redacted = redacted.ConnectionString };
    }

    // The PgJDBC parameters with a meaning here; others (prepareThreshold, reWriteBatchedInserts, ...) tune PgJDBC
    // itself and have nothing to tune in Npgsql, so they are accepted and have no effect.
    private static void ApplyPostgreSqlParameter(NpgsqlConnectionStringBuilder builder, string url, string key, string value)
    {
        switch (key)
        {
            case "user":
                builder.Username = value;
                break;
            case "password":
                builder.Password = value;
                break;
            case "ssl":
                builder.SslMode = value.Equals("true", StringComparison.OrdinalIgnoreCase) ? SslMode.Require : SslMode.Disable;
                break;
            case "sslmode":
                builder.SslMode = value.ToLowerInvariant() switch
                {
                    "disable" => SslMode.Disable,
                    "allow" => SslMode.Allow,
                    "prefer" => SslMode.Prefer,
                    "require" => SslMode.Require,
                    "verify-ca" => SslMode.VerifyCA,
                    "verify-full" => SslMode.VerifyFull,
                    _ => throw new ConfigException(JdbcConfigNames.ConnectionUrl, url, $"Unknown sslmode '{value}'"),
                };
                break;
            case "connectTimeout":
                builder.Timeout = ParseSeconds(url, key, value);
                break;
            case "socketTimeout":
                builder.CommandTimeout = ParseSeconds(url, key, value);
                break;
            case "currentSchema":
                builder.SearchPath = value;
                break;
            case "ApplicationName":
                builder.ApplicationName = value;
                break;
        }
    }

    private static int ParseSeconds(string url, string key, string value) =>
        int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : throw new ConfigException(JdbcConfigNames.ConnectionUrl, url, $"'{key}' must be a number of seconds");

    private static JdbcUrl ParseSqlite(string path)
    {
        var question = path.IndexOf('?', StringComparison.Ordinal);
        if (question >= 0)
        {
            path = path[..question];
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path is "" or ":memory:" ? ":memory:" : path,
            // Several tasks and the connector open the same file; writers wait for each other instead of failing.
            DefaultTimeout = 30,
        };
        return new JdbcUrl(Sqlite, builder.ConnectionString) { Redacted = builder.ConnectionString };
    }
}

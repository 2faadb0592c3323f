using Npgsql;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Connect.Jdbc;

/// <summary>The embedded platform (Connect flushing every half second) beside a real PostgreSQL server, one per test class.</summary>
public sealed class JdbcPostgresFixture : ConnectBrokerFixture
{
    private int _databases;

    public PostgresServer Postgres { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Postgres = await PostgresServer.StartAsync();
        await base.InitializeAsync();
    }

    /// <summary>A fresh database: its JDBC URL (user in <c>connection.user</c>) and an open connection for the test's own SQL.</summary>
    public async Task<(string JdbcUrl, NpgsqlConnection Connection)> NewDatabaseAsync()
    {
        var name = $"db{Interlocked.Increment(ref _databases)}";
        await Postgres.CreateDatabaseAsync(name);
        var connection = new NpgsqlConnection(Postgres.ConnectionString(name));
        await connection.OpenAsync();
        return (Postgres.JdbcUrl(name), connection);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Postgres.DisposeAsync();
    }
}

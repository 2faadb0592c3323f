using Npgsql;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Connect.Jdbc;

/// <summary>One PostgreSQL server per test class; each test takes a database of its own from <see cref="NewDatabaseAsync"/>.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private int _databases;

    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync();

    /// <summary>A fresh, empty database's name.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"db{Interlocked.Increment(ref _databases)}";
        await Server.CreateDatabaseAsync(name);
        return name;
    }

    /// <summary>A fresh database; its JDBC URL and an open connection to run the test's own SQL.</summary>
    public async Task<(string JdbcUrl, NpgsqlConnection Connection)> NewDatabaseAsync()
    {
        var name = await CreateDatabaseAsync();
        var connection = new NpgsqlConnection(Server.ConnectionString(name));
        await connection.OpenAsync();
        return (Server.JdbcUrl(name) + "?user=" + Server.User, connection);
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

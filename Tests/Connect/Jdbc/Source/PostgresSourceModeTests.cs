namespace Tributary.Tests.Connect.Jdbc.Source;

public sealed class PostgresSourceModeTests(PostgresFixture postgres) : SourceModeTests, IClassFixture<PostgresFixture>, IAsyncLifetime
{
    private Npgsql.NpgsqlConnection? _connection;

    protected override async Task<string> NewDatabaseAsync()
    {
        var (url, connection) = await postgres.NewDatabaseAsync();
        _connection = connection;
        return url;
    }

    protected override async Task ExecuteAsync(string sql)
    {
        await using var command = new Npgsql.NpgsqlCommand(sql, _connection);
        await command.ExecuteNonQueryAsync();
    }

    protected override string CreateTrackedTable(string table) =>
        $"CREATE TABLE {table} (id SERIAL PRIMARY KEY, name TEXT NOT NULL, modified TIMESTAMP NOT NULL)";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}

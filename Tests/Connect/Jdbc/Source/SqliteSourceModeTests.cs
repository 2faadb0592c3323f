using Microsoft.Data.Sqlite;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Connect.Jdbc.Source;

public sealed class SqliteSourceModeTests : SourceModeTests, IDisposable
{
    private readonly TempDirectory _directory = new();
    private string? _path;

    protected override Task<string> NewDatabaseAsync()
    {
        _path = Path.Combine(_directory.Path, "source.db");
        return Task.FromResult("jdbc:sqlite:" + _path);
    }

    protected override async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    protected override string CreateTrackedTable(string table) =>
        $"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, modified TIMESTAMP NOT NULL)";

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}

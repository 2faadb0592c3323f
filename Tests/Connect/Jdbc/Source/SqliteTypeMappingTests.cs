using Microsoft.Data.Sqlite;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Connect.Jdbc.Source;

/// <summary>
/// SQLite's declared column types as Connect schemas and values: SQLite's affinity rules, refined where the declared
/// name says more (BOOLEAN, DATE, TIME, TIMESTAMP, DECIMAL(p,s)), dates and times read from ISO-8601 text.
/// </summary>
public sealed class SqliteTypeMappingTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    [Fact]
    public async Task DeclaredTypes_MapToConnectSchemasAndValues()
    {
        var path = _directory.Combine("types.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText =
                "CREATE TABLE t (id INTEGER PRIMARY KEY, flag BOOLEAN NOT NULL, small SMALLINT, tiny TINYINT, regular INT, big BIGINT, " +
                "ratio REAL, amount DECIMAL(10,2), name VARCHAR(20), note TEXT, data BLOB, born DATE, wakes TIME, seen TIMESTAMP, " +
                "stamped DATETIME, missing TEXT); " +
                "INSERT INTO t VALUES (NULL, 1, -7, 5, 123456, 9000000000, 0.25, 12.5, 'v', 'n', x'00ff', '2024-02-29', '07:30:15.250', " +
                "'2024-02-29 13:45:30.123', '2024-03-01T08:00:00Z', NULL)";
            await command.ExecuteNonQueryAsync();
        }

        var config = new Dictionary<string, string> { ["connection.url"] = "jdbc:sqlite:" + path, ["mode"] = "incrementing", ["topic.prefix"] = "s-" };
        await using var task = await SourceTaskHarness.StartAsync(config);
        var row = (Struct)Assert.Single(await task.PollAtLeastAsync(1)).Value!;

        Schema Field(string name) => row.Schema.Field(name)!.Schema;
        Assert.Equal(1L, row.Get("id"));
        Assert.Equal(SchemaType.Boolean, Field("flag").Type);
        Assert.False(Field("flag").IsOptional);
        Assert.Equal(true, row.Get("flag"));
        Assert.Equal((short)-7, row.Get("small"));
        Assert.Equal((sbyte)5, row.Get("tiny"));
        Assert.Equal(123456, row.Get("regular"));
        Assert.Equal(9000000000L, row.Get("big"));
        Assert.Equal(0.25, row.Get("ratio"));
        Assert.Equal(LogicalTypes.DecimalName, Field("amount").Name);
        Assert.Equal(12.50m, row.Get("amount"));
        Assert.Equal("v", row.Get("name"));
        Assert.Equal("n", row.Get("note"));
        Assert.Equal(new byte[] { 0, 0xff }, row.Get("data"));
        Assert.Equal(new DateTime(2024, 2, 29, 0, 0, 0, DateTimeKind.Utc), row.Get("born"));
        Assert.Equal(DateTime.UnixEpoch.AddMilliseconds(((7 * 60 + 30) * 60 + 15) * 1000 + 250), row.Get("wakes"));
        Assert.Equal(new DateTime(2024, 2, 29, 13, 45, 30, 123, DateTimeKind.Utc), row.Get("seen"));
        Assert.Equal(new DateTime(2024, 3, 1, 8, 0, 0, DateTimeKind.Utc), row.Get("stamped"));
        Assert.True(Field("missing").IsOptional);
        Assert.Null(row.Get("missing"));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}

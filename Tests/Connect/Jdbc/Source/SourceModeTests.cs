using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Jdbc.Source;

namespace Tributary.Tests.Connect.Jdbc.Source;

/// <summary>
/// Each source mode against a real database: rows inserted or updated between polls arrive once, in the order of the
/// tracked columns, and a restarted task resumes after the last stored offset. Run on PostgreSQL and on SQLite.
/// </summary>
public abstract class SourceModeTests
{
    /// <summary>The JDBC URL of a fresh, empty database.</summary>
    protected abstract Task<string> NewDatabaseAsync();

    protected abstract Task ExecuteAsync(string sql);

    /// <summary>DDL of a table with an auto-increment id, a NOT NULL timestamp column <c>modified</c> and a text column <c>name</c>.</summary>
    protected abstract string CreateTrackedTable(string table);

    private async Task<Dictionary<string, string>> ConfigAsync(string mode, params (string Key, string Value)[] extra)
    {
        var config = new Dictionary<string, string>
        {
            ["connection.url"] = await NewDatabaseAsync(),
            ["mode"] = mode,
            ["topic.prefix"] = "db-",
            ["poll.interval.ms"] = "100",
        };
        foreach (var (key, value) in extra)
        {
            config[key] = value;
        }

        return config;
    }

    private static List<string> Names(IEnumerable<SourceRecord> records) => [.. records.Select(r => ((Struct)r.Value!).GetString("name")!)];

    [Fact]
    public async Task Incrementing_RowsInsertedBetweenPollsArriveOnceInIdOrder()
    {
        var config = await ConfigAsync("incrementing", ("incrementing.column.name", "id"));
        await ExecuteAsync(CreateTrackedTable("users"));
        await ExecuteAsync("INSERT INTO users (name, modified) VALUES ('a', '2024-01-01 10:00:00'), ('b', '2024-01-01 10:00:00')");
        await using var task = await SourceTaskHarness.StartAsync(config);

        var first = await task.PollAtLeastAsync(2);
        await ExecuteAsync("INSERT INTO users (name, modified) VALUES ('c', '2024-01-01 09:00:00')");
        await ExecuteAsync("UPDATE users SET name = 'a2' WHERE name = 'a'");
        var second = await task.PollAtLeastAsync(1);
        var more = await task.PollAsync(TimeSpan.FromMilliseconds(500));

        Assert.Equal(["a", "b"], Names(first));
        Assert.Equal(["c"], Names(second));
        Assert.Empty(more);
        Assert.All(first.Concat(second), r => Assert.Equal("db-users", r.Topic));
        Assert.Equal(3L, Convert.ToInt64(second[0].SourceOffset!["incrementing"]));
    }

    [Fact]
    public async Task Timestamp_UpdatedRowsArriveAgainInTimestampOrder()
    {
        var config = await ConfigAsync("timestamp", ("timestamp.column.name", "modified"));
        await ExecuteAsync(CreateTrackedTable("items"));
        await ExecuteAsync("INSERT INTO items (name, modified) VALUES ('late', '2024-01-01 12:00:00'), ('early', '2024-01-01 11:00:00')");
        await using var task = await SourceTaskHarness.StartAsync(config);

        var first = await task.PollAtLeastAsync(2);
        await ExecuteAsync("UPDATE items SET name = 'early2', modified = '2024-01-02 08:00:00.250' WHERE name = 'early'");
        var second = await task.PollAtLeastAsync(1);
        var more = await task.PollAsync(TimeSpan.FromMilliseconds(500));

        Assert.Equal(["early", "late"], Names(first));
        Assert.Equal(["early2"], Names(second));
        Assert.Empty(more);
        var offset = SourceOffset.FromMap(second[0].SourceOffset);
        Assert.Equal(new DateTime(2024, 1, 2, 8, 0, 0, 250, DateTimeKind.Utc), offset.Timestamp);
    }

    [Fact]
    public async Task TimestampIncrementing_ManyRowsOfOneTimestampAllArriveOnceAcrossSmallBatches()
    {
        var config = await ConfigAsync(
            "timestamp+incrementing", ("timestamp.column.name", "modified"), ("incrementing.column.name", "id"), ("batch.max.rows", "3"));
        await ExecuteAsync(CreateTrackedTable("events"));
        for (var i = 0; i < 10; i++)
        {
            await ExecuteAsync($"INSERT INTO events (name, modified) VALUES ('e{i}', '2024-05-05 05:05:05')");
        }

        await using var task = await SourceTaskHarness.StartAsync(config);
        var first = await task.PollAtLeastAsync(10);
        await ExecuteAsync("INSERT INTO events (name, modified) VALUES ('same-time-later-id', '2024-05-05 05:05:05')");
        await ExecuteAsync("UPDATE events SET name = 'e0-updated', modified = '2024-05-06 00:00:00' WHERE name = 'e0'");
        var second = await task.PollAtLeastAsync(2);

        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"e{i}"), Names(first));
        Assert.All(first, r => Assert.True(Names([r]).Count == 1));
        Assert.Equal(["same-time-later-id", "e0-updated"], Names(second));
    }

    [Fact]
    public async Task Bulk_EveryPollReadsTheWholeTableWithoutOffsets()
    {
        var config = await ConfigAsync("bulk");
        await ExecuteAsync(CreateTrackedTable("lookup"));
        await ExecuteAsync("INSERT INTO lookup (name, modified) VALUES ('x', '2024-01-01 00:00:00'), ('y', '2024-01-01 00:00:00')");
        await using var task = await SourceTaskHarness.StartAsync(config);

        var first = await task.PollAtLeastAsync(2);
        var second = await task.PollAtLeastAsync(2);

        Assert.Equal(["x", "y"], Names(first).Order());
        Assert.Equal(["x", "y"], Names(second).Order());
        Assert.All(first, r => Assert.Null(r.SourceOffset));
    }

    [Fact]
    public async Task Query_IncrementingQueryWritesToThePrefixAsTopic()
    {
        var config = await ConfigAsync(
            "incrementing", ("incrementing.column.name", "id"),
            ("query", "SELECT id, upper(name) AS name FROM (SELECT * FROM people) p"));
        config["topic.prefix"] = "people-upper";
        await ExecuteAsync(CreateTrackedTable("people"));
        await ExecuteAsync("INSERT INTO people (name, modified) VALUES ('ann', '2024-01-01 00:00:00'), ('bob', '2024-01-01 00:00:00')");
        await using var task = await SourceTaskHarness.StartAsync(config);

        var records = await task.PollAtLeastAsync(2);

        Assert.Equal(["ANN", "BOB"], Names(records));
        Assert.All(records, r => Assert.Equal("people-upper", r.Topic));
        Assert.Equal("query", records[0].SourcePartition!["query"]);
    }

    [Fact]
    public async Task RestartedTask_ResumesAfterTheLastStoredOffsetWithoutLossOrDuplicates()
    {
        var config = await ConfigAsync(
            "timestamp+incrementing", ("timestamp.column.name", "modified"), ("incrementing.column.name", "id"), ("batch.max.rows", "4"));
        await ExecuteAsync(CreateTrackedTable("orders"));
        for (var i = 0; i < 10; i++)
        {
            await ExecuteAsync($"INSERT INTO orders (name, modified) VALUES ('o{i}', '2024-02-0{1 + i % 3} 00:00:00')");
        }

        var offsets = new StoredOffsets();
        var seen = new List<SourceRecord>();
        await using (var task = await SourceTaskHarness.StartAsync(config, offsets))
        {
            seen.AddRange(await task.PollAsync());
        }

        await ExecuteAsync("INSERT INTO orders (name, modified) VALUES ('o10', '2024-03-01 00:00:00')");
        await using (var restarted = await SourceTaskHarness.StartAsync(config, offsets))
        {
            seen.AddRange(await restarted.PollAtLeastAsync(7));
        }

        Assert.Equal(4, seen.Count(r => Names([r])[0] is "o0" or "o3" or "o6" or "o9"));
        Assert.Equal(11, seen.Count);
        Assert.Equal(11, Names(seen).Distinct().Count());
        Assert.Equal("o10", Names(seen)[^1]);
    }

    [Fact]
    public async Task Incrementing_WithoutAColumnName_FindsTheAutoIncrementColumn()
    {
        var config = await ConfigAsync("incrementing");
        await ExecuteAsync(CreateTrackedTable("auto"));
        await ExecuteAsync("INSERT INTO auto (name, modified) VALUES ('first', '2024-01-01 00:00:00')");
        await using var task = await SourceTaskHarness.StartAsync(config);

        var records = await task.PollAtLeastAsync(1);

        Assert.Equal(["first"], Names(records));
        Assert.Equal(1L, Convert.ToInt64(records[0].SourceOffset!["incrementing"]));
    }

    [Fact]
    public async Task NullableTimestampColumn_FailsTheTaskUnlessValidationIsOff()
    {
        var config = await ConfigAsync("timestamp", ("timestamp.column.name", "seen"));
        await ExecuteAsync("CREATE TABLE loose (name TEXT, seen TIMESTAMP)");
        await ExecuteAsync("INSERT INTO loose (name, seen) VALUES ('n', '2024-01-01 00:00:00')");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => SourceTaskHarness.StartAsync(config));
        config["validate.non.null"] = "false";
        await using var task = await SourceTaskHarness.StartAsync(config);
        var records = await task.PollAtLeastAsync(1);

        Assert.Contains("because all of these columns are nullable", error.Message, StringComparison.Ordinal);
        Assert.Equal(["n"], Names(records));
    }
}

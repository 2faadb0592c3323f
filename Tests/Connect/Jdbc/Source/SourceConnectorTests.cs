using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Jdbc.Source;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Connect.Jdbc.Source;

/// <summary>The source connector's share of the work: which tables, split among how many tasks, noticing new and dropped tables.</summary>
public sealed class SourceConnectorTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string Url => "jdbc:sqlite:" + _directory.Combine("tables.db");

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_directory.Combine("tables.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private Dictionary<string, string> Config(params (string Key, string Value)[] extra)
    {
        var config = new Dictionary<string, string> { ["connection.url"] = Url, ["mode"] = "bulk", ["topic.prefix"] = "t-" };
        foreach (var (key, value) in extra)
        {
            config[key] = value;
        }

        return config;
    }

    private static List<string[]> Tables(IEnumerable<IReadOnlyDictionary<string, string>> configs) =>
        [.. configs.Select(c => JsonSerializer.Deserialize<string[]>(c["tables"])!)];

    [Fact]
    public async Task Tables_AreSplitIntoContiguousGroupsOfAtMostTasksMax()
    {
        foreach (var table in new[] { "a", "b", "c", "d", "e" })
        {
            await ExecuteAsync($"CREATE TABLE {table} (x INTEGER)");
        }

        var connector = new JdbcSourceConnector();
        var context = new SourceTaskHarness.ConnectorContext();
        connector.Initialize(context);
        await connector.StartAsync(Config(), CancellationToken.None);

        Assert.Equal([["a", "b"], ["c", "d"], ["e"]], Tables(await SourceTaskHarness.TaskConfigsAsync(connector, context, 3)));
        Assert.Equal([["a"], ["b"], ["c"], ["d"], ["e"]], Tables(connector.TaskConfigs(10)));
        await connector.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task WhitelistAndBlacklist_ChooseTheTables_AndViewsOnlyWhenAsked()
    {
        await ExecuteAsync("CREATE TABLE keep (x INTEGER); CREATE TABLE skip (x INTEGER); CREATE VIEW v AS SELECT x FROM keep");

        async Task<string[]> TablesFor(params (string, string)[] extra)
        {
            var connector = new JdbcSourceConnector();
            var context = new SourceTaskHarness.ConnectorContext();
            connector.Initialize(context);
            await connector.StartAsync(Config(extra), CancellationToken.None);
            var tables = Tables(await SourceTaskHarness.TaskConfigsAsync(connector, context, 1)).SelectMany(t => t).ToArray();
            await connector.StopAsync(CancellationToken.None);
            return tables;
        }

        Assert.Equal(["keep"], await TablesFor(("table.whitelist", "keep")));
        Assert.Equal(["keep"], await TablesFor(("table.include.list", "KEEP")));
        Assert.Equal(["keep"], await TablesFor(("table.blacklist", "skip")));
        Assert.Equal(["keep", "skip", "v"], await TablesFor(("table.types", "TABLE,VIEW")));
    }

    [Fact]
    public async Task NewAndDroppedTables_AskForTheTasksToBeReconfigured()
    {
        await ExecuteAsync("CREATE TABLE first (x INTEGER)");
        var context = new SourceTaskHarness.ConnectorContext();
        var connector = new JdbcSourceConnector();
        connector.Initialize(context);
        await connector.StartAsync(Config(("table.poll.interval.ms", "100")), CancellationToken.None);
        var before = Tables(await SourceTaskHarness.TaskConfigsAsync(connector, context, 4));

        // The first listing asked for task configurations once; each change asks again.
        await ExecuteAsync("CREATE TABLE second (x INTEGER)");
        await WaitAsync(() => context.Reconfigurations >= 2);
        var afterCreate = Tables(connector.TaskConfigs(4));
        await ExecuteAsync("DROP TABLE first");
        await WaitAsync(() => context.Reconfigurations >= 3);
        var afterDrop = Tables(connector.TaskConfigs(4));
        await connector.StopAsync(CancellationToken.None);

        Assert.Equal([["first"]], before);
        Assert.Equal([["first"], ["second"]], afterCreate);
        Assert.Equal([["second"]], afterDrop);
    }

    [Fact]
    public void Validate_ReportsKafkaConnectJdbcsCrossKeyErrors()
    {
        var connector = new JdbcSourceConnector();

        var noMode = connector.Validate(new Dictionary<string, string> { ["connection.url"] = Url, ["topic.prefix"] = "t-" });
        var both = connector.Validate(Config(("table.whitelist", "a"), ("table.blacklist", "b")));
        var queryAndList = connector.Validate(Config(("query", "SELECT 1"), ("table.whitelist", "a")));
        var badUrl = connector.Validate(Config(("connection.url", "jdbc:oracle:thin:@host:1521:db")));

        Assert.Contains("Query mode must be specified", string.Join(";", noMode.First(v => v.Name == "mode").ErrorMessages));
        Assert.Contains("exclusive", string.Join(";", both.First(v => v.Name == "table.whitelist").ErrorMessages));
        Assert.Contains("Do not specify table filtering configs with 'query'", string.Join(";", queryAndList.First(v => v.Name == "query").ErrorMessages));
        Assert.Contains("oracle", string.Join(";", badUrl.First(v => v.Name == "connection.url").ErrorMessages));
    }

    [Fact]
    public async Task UnreachableDatabase_FailsTheConnectorAfterConnectionAttemptsWithTheCause()
    {
        var port = SiloLauncher.FreePort();
        var connector = new JdbcSourceConnector();
        var context = new SourceTaskHarness.ConnectorContext();
        connector.Initialize(context);
        var config = Config(
            ("connection.url", $"jdbc:postgresql://127.0.0.1:{port}/nowhere"), ("connection.password", "secret-pw"),
            ("connection.attempts", "2"), ("connection.backoff.ms", "1500"));

        var started = DateTime.UtcNow;
        await connector.StartAsync(config, CancellationToken.None);
        var startTook = DateTime.UtcNow - started;
        var error = await Assert.ThrowsAsync<ConnectException>(() => SourceTaskHarness.TaskConfigsAsync(connector, context, 1));
        await connector.StopAsync(CancellationToken.None);

        // The start does not wait for the database: the REST call that created the connector is not held.
        // (Waiting for the attempts would take at least the 1.5 s backoff.)
        Assert.True(startTook < TimeSpan.FromSeconds(1), $"start took {startTook.TotalMilliseconds} ms");
        Assert.Contains("after 2 attempt(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-pw", error.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(1500));
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }
}

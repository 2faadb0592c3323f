using Npgsql;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Connector;
using static Tributary.Tests.Connect.Jdbc.Sink.SinkTestKit;

namespace Tributary.Tests.Connect.Jdbc.Sink;

/// <summary>
/// On PostgreSQL a Put's write goes on while the next Put is bound: a write the database refuses is found by the next
/// Put or by the flush before offsets are committed, and its records are written again before anything after them.
/// Each test holds the table locked while the Put returns, so that its write is still waiting when the test goes on.
/// </summary>
public sealed class PostgresSinkPipelineTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly Dictionary<TopicPartition, long> NoOffsets = [];

    [Fact]
    public async Task AWriteRefusedAfterItsPut_IsWrittenAgainBeforeTheNextPut_WhenTheRuntimeHandsThatOneAgain()
    {
        var db = await CreatePeopleTableAsync();
        var (task, context) = await StartAsync(Config(Url(db),
            ("insert.mode", "upsert"), ("pk.mode", "record_value"), ("pk.fields", "id"), ("max.retries", "3"), ("retry.backoff.ms", "60")));
        try
        {
            var next = new[] { PersonRecord("people", 2, 2, "second"), PersonRecord("people", 3, 3, "third") };
            Task put;
            await using (var tableLock = await LockAsync(db))
            {
                await task.PutAsync([PersonRecord("people", 0, 1, "bad"), PersonRecord("people", 1, 2, "first")], CancellationToken.None);
                put = task.PutAsync(next, CancellationToken.None);
                await Task.Delay(100);
                Assert.False(put.IsCompleted); // it waits for the write before it
            }

            await Assert.ThrowsAsync<RetriableException>(() => put);
            Assert.Equal(60, context.LastTimeoutMs);
            Assert.Equal("0", await postgres.Server.PsqlAsync(db, "SELECT count(*) FROM people"));

            await postgres.Server.PsqlAsync(db, "ALTER TABLE people DROP CONSTRAINT people_name_check");
            await task.PutAsync(next, CancellationToken.None);
            await task.FlushAsync(NoOffsets, CancellationToken.None);

            // The refused Put went first: id 2 holds the later Put's value.
            Assert.Equal("1|bad\n2|second\n3|third", await postgres.Server.PsqlAsync(db, "SELECT id, name FROM people ORDER BY id"));
        }
        finally
        {
            await task.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task AFlushFindingARefusedWrite_RetriesItItself_UntilTheDatabaseTakesIt()
    {
        var db = await CreatePeopleTableAsync();
        var (task, _) = await StartAsync(Config(Url(db), ("max.retries", "20"), ("retry.backoff.ms", "200")));
        try
        {
            Task flush;
            await using (var tableLock = await LockAsync(db))
            {
                await task.PutAsync([PersonRecord("people", 0, 1, "bad"), PersonRecord("people", 1, 2, "bob")], CancellationToken.None);
                flush = task.FlushAsync(NoOffsets, CancellationToken.None);
            }

            await Task.Delay(500);
            Assert.False(flush.IsCompleted);

            await postgres.Server.PsqlAsync(db, "ALTER TABLE people DROP CONSTRAINT people_name_check");
            await flush.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.Equal("1|bad\n2|bob", await postgres.Server.PsqlAsync(db, "SELECT id, name FROM people ORDER BY id"));
        }
        finally
        {
            await task.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task AFlushFindingARefusedWrite_FailsTheTask_OnceTheRetriesAreSpent()
    {
        var db = await CreatePeopleTableAsync();
        var (task, _) = await StartAsync(Config(Url(db), ("max.retries", "2"), ("retry.backoff.ms", "40")));
        try
        {
            Task flush;
            await using (var tableLock = await LockAsync(db))
            {
                await task.PutAsync([PersonRecord("people", 0, 1, "bad")], CancellationToken.None);
                flush = task.FlushAsync(NoOffsets, CancellationToken.None);
            }

            var error = await Assert.ThrowsAsync<ConnectException>(() => flush);

            Assert.IsNotType<RetriableException>(error);
            Assert.StartsWith("Failing task after exhausting 2 retries", error.Message, StringComparison.Ordinal);
            Assert.Equal("0", await postgres.Server.PsqlAsync(db, "SELECT count(*) FROM people"));
        }
        finally
        {
            await task.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task ARefusedWrite_WithAReporter_IsWrittenRecordByRecord_AndTheNextPutLandsAfterIt()
    {
        var db = await CreatePeopleTableAsync();
        var reporter = new RecordingReporter();
        var (task, _) = await StartAsync(Config(Url(db), ("max.retries", "0")), reporter);
        try
        {
            Task put;
            await using (var tableLock = await LockAsync(db))
            {
                await task.PutAsync([PersonRecord("people", 0, 1, "ann"), PersonRecord("people", 1, 1, "dup"), PersonRecord("people", 2, 2, "bob")], CancellationToken.None);
                put = task.PutAsync([PersonRecord("people", 3, 3, "cat")], CancellationToken.None);
            }

            await put;
            await task.FlushAsync(NoOffsets, CancellationToken.None);

            Assert.Equal(1L, Assert.Single(reporter.Reported).Record.KafkaOffset);
            Assert.Equal("1|ann\n2|bob\n3|cat", await postgres.Server.PsqlAsync(db, "SELECT id, name FROM people ORDER BY id"));
        }
        finally
        {
            await task.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task AWriteInProgress_WhenThePutsTokenIsCancelled_ForAStop_StillLands_AndTheFlushSeesItThrough()
    {
        var db = await CreatePeopleTableAsync();
        var (task, _) = await StartAsync(Config(Url(db)));
        try
        {
            using var stopping = new CancellationTokenSource();
            await using (var tableLock = await LockAsync(db))
            {
                await task.PutAsync([PersonRecord("people", 0, 1, "ann"), PersonRecord("people", 1, 2, "bob")], stopping.Token);
                await stopping.CancelAsync(); // the runtime cancels its loop before it flushes and stops the task
            }

            await task.FlushAsync(NoOffsets, CancellationToken.None);

            Assert.Equal("1|ann\n2|bob", await postgres.Server.PsqlAsync(db, "SELECT id, name FROM people ORDER BY id"));
        }
        finally
        {
            await task.StopAsync(CancellationToken.None);
        }
    }

    private async Task<string> CreatePeopleTableAsync()
    {
        var db = await postgres.CreateDatabaseAsync();
        await postgres.Server.PsqlAsync(db, "CREATE TABLE people (id INT PRIMARY KEY, name TEXT NOT NULL CHECK (name <> 'bad'), age INT)");
        return db;
    }

    /// <summary>Holds the table against writes (reads and the catalog stay open) until disposed.</summary>
    private async Task<NpgsqlConnection> LockAsync(string db)
    {
        var connection = new NpgsqlConnection(postgres.Server.ConnectionString(db));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("BEGIN; LOCK TABLE people IN EXCLUSIVE MODE", connection);
        await command.ExecuteNonQueryAsync();
        return connection; // closing it ends the transaction and its lock
    }

    private string Url(string db) => postgres.Server.JdbcUrl(db) + "?user=" + postgres.Server.User;
}

using Microsoft.Data.Sqlite;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Jdbc.Sink;
using Tributary.Tests.TestKit;
using static Tributary.Tests.Connect.Jdbc.Sink.SinkTestKit;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Tests.Connect.Jdbc.Sink;

/// <summary>The sink against a SQLite file: modes, keys, deletes, table names and DDL.</summary>
public sealed class SqliteSinkTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    private string File => _directory.Combine("sink.db");

    private string Url => "jdbc:sqlite:" + File;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    [Fact]
    public async Task Insert_WithAutoCreate_CreatesTableAndWritesEveryRecord()
    {
        await PutAllAsync(Config(Url, ("auto.create", "true")),
            PersonRecord("people", 0, 1, "ann", 30), PersonRecord("people", 1, 2, "bob"));

        Assert.Equal(["1|ann|30", "2|bob|null"], await QueryAsync("SELECT id, name, age FROM people ORDER BY id"));
    }

    [Fact]
    public async Task Insert_WithKafkaPk_KeysRowsByCoordinates()
    {
        await PutAllAsync(Config(Url, ("auto.create", "true"), ("pk.mode", "kafka")),
            PersonRecord("people", 7, 1, "ann"), PersonRecord("people", 8, 1, "ann again"));

        Assert.Equal(["people|0|7|ann", "people|0|8|ann again"],
            await QueryAsync("SELECT __connect_topic, __connect_partition, __connect_offset, name FROM people ORDER BY __connect_offset"));
        Assert.Equal(["__connect_offset|3", "__connect_partition|2", "__connect_topic|1"],
            await QueryAsync("SELECT name, pk FROM pragma_table_info('people') WHERE pk > 0 ORDER BY name"));
    }

    [Fact]
    public async Task Upsert_WithRecordKeyStruct_ReplacesRowOfSameKey()
    {
        await PutAllAsync(Config(Url, ("auto.create", "true"), ("insert.mode", "UPSERT"), ("pk.mode", "record_key")),
            PersonRecord("people", 0, 1, "ann", 30), PersonRecord("people", 1, 2, "bob"), PersonRecord("people", 2, 1, "ann", 31));

        Assert.Equal(["1|ann|31", "2|bob|null"], await QueryAsync("SELECT id, name, age FROM people ORDER BY id"));
    }

    [Fact]
    public async Task Upsert_WithPrimitiveKey_UsesTheOnePkField()
    {
        var config = Config(Url, ("auto.create", "true"), ("insert.mode", "upsert"), ("pk.mode", "record_key"), ("pk.fields", "key_id"));
        await PutAllAsync(config,
            Record("people", 0, ConnectSchema.Int64, 5L, PersonSchema, Person(1, "ann")),
            Record("people", 1, ConnectSchema.Int64, 5L, PersonSchema, Person(2, "bob")));

        Assert.Equal(["5|2|bob"], await QueryAsync("SELECT key_id, id, name FROM people"));
    }

    [Fact]
    public async Task Upsert_WithPrimitiveKeyAndNoPkField_FailsWithConfluentMessage()
    {
        var config = Config(Url, ("auto.create", "true"), ("insert.mode", "upsert"), ("pk.mode", "record_key"));
        var error = await Assert.ThrowsAsync<UnwritableRecordException>(() =>
            PutAllAsync(config, Record("people", 0, ConnectSchema.Int64, 5L, PersonSchema, Person(1, "ann"))));
        Assert.Equal("Need exactly one PK column defined since the key schema for records is a primitive type, defined columns are: []", error.Message);
    }

    [Fact]
    public async Task Upsert_WithRecordValuePkFields_KeysByTheListedValueFields()
    {
        await PutAllAsync(Config(Url, ("auto.create", "true"), ("insert.mode", "upsert"), ("pk.mode", "record_value"), ("pk.fields", "id")),
            PersonRecord("people", 0, 1, "ann"), PersonRecord("people", 1, 1, "anne", 40));

        Assert.Equal(["1|anne|40"], await QueryAsync("SELECT id, name, age FROM people"));
        Assert.Equal(["id"], await QueryAsync("SELECT name FROM pragma_table_info('people') WHERE pk > 0"));
    }

    [Fact]
    public async Task Update_WithRecordValuePk_ChangesOnlyExistingRows()
    {
        await ExecuteAsync("CREATE TABLE people (id INTEGER NOT NULL, name TEXT NOT NULL, age INTEGER, PRIMARY KEY (id))",
            "INSERT INTO people VALUES (1, 'ann', 30)");

        await PutAllAsync(Config(Url, ("insert.mode", "update"), ("pk.mode", "record_value"), ("pk.fields", "id")),
            PersonRecord("people", 0, 1, "anne", 31), PersonRecord("people", 1, 2, "bob"));

        Assert.Equal(["1|anne|31"], await QueryAsync("SELECT id, name, age FROM people"));
    }

    [Fact]
    public async Task Update_WithKafkaPk_MatchesTheCoordinates()
    {
        await ExecuteAsync("CREATE TABLE people (__connect_topic TEXT, __connect_partition INT, __connect_offset BIGINT, id INT, name TEXT, age INT)",
            "INSERT INTO people VALUES ('people', 0, 3, 1, 'old', NULL)");

        await PutAllAsync(Config(Url, ("insert.mode", "update"), ("pk.mode", "kafka")), PersonRecord("people", 3, 1, "new", 5));

        Assert.Equal(["1|new|5"], await QueryAsync("SELECT id, name, age FROM people"));
    }

    [Fact]
    public async Task DeleteEnabled_TombstoneDeletesRowByKey_AndReinsertAfterDeleteSurvives()
    {
        var config = Config(Url, ("auto.create", "true"), ("insert.mode", "upsert"), ("pk.mode", "record_key"), ("delete.enabled", "true"));
        await PutAllAsync(config,
            PersonRecord("people", 0, 1, "ann"), PersonRecord("people", 1, 2, "bob"), PersonRecord("people", 2, 3, "cid"),
            Record("people", 3, IdKeySchema, IdKey(1), null, null),
            Record("people", 4, IdKeySchema, IdKey(3), null, null),
            PersonRecord("people", 5, 3, "cid again"));

        Assert.Equal(["2|bob", "3|cid again"], await QueryAsync("SELECT id, name FROM people ORDER BY id"));
    }

    [Fact]
    public async Task DeleteEnabled_TombstoneForMissingTable_IsSkipped()
    {
        var config = Config(Url, ("pk.mode", "record_key"), ("delete.enabled", "true"));
        await PutAllAsync(config, Record("people", 0, IdKeySchema, IdKey(1), null, null));

        Assert.Empty(await QueryAsync("SELECT name FROM sqlite_master WHERE type = 'table'"));
    }

    [Fact]
    public async Task NullValue_WithoutDeleteEnabled_FailsWithConfluentMessage()
    {
        var error = await Assert.ThrowsAsync<UnwritableRecordException>(() =>
            PutAllAsync(Config(Url, ("auto.create", "true"), ("pk.mode", "record_key")), Record("people", 4, IdKeySchema, IdKey(1), null, null)));

        Assert.Equal(
            "Sink connector 'jdbc-sink' is configured with 'delete.enabled=false' and 'pk.mode=record_key' and therefore requires records " +
            "with a non-null Struct value and non-null Struct schema, but found record at (topic='people',partition=0,offset=4," +
            "timestamp=1700000000004) with a null value and null value schema.", error.Message);
    }

    [Fact]
    public async Task SchemalessValue_IsRejectedClearly()
    {
        var error = await Assert.ThrowsAsync<UnwritableRecordException>(() =>
            PutAllAsync(Config(Url, ("auto.create", "true")), Record("people", 0, null, null, null, new Dictionary<object, object?> { ["id"] = 1 })));

        Assert.Contains("with a HashMap value and null value schema", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TableNameFormat_RoutesEachTopicToItsTable()
    {
        await PutAllAsync(Config(Url, ("auto.create", "true"), ("table.name.format", "kafka_${topic}")),
            PersonRecord("a", 0, 1, "ann"), PersonRecord("b", 0, 2, "bob"));

        Assert.Equal(["1|ann"], await QueryAsync("SELECT id, name FROM kafka_a"));
        Assert.Equal(["2|bob"], await QueryAsync("SELECT id, name FROM kafka_b"));
    }

    [Fact]
    public async Task FieldsWhitelist_WritesOnlyTheListedValueFields()
    {
        await PutAllAsync(Config(Url, ("auto.create", "true"), ("fields.whitelist", "id,name")), PersonRecord("people", 0, 1, "ann", 30));

        Assert.Equal(["id", "name"], await QueryAsync("SELECT name FROM pragma_table_info('people') ORDER BY cid"));
        Assert.Equal(["1|ann"], await QueryAsync("SELECT id, name FROM people"));
    }

    [Fact]
    public async Task MissingTable_WithoutAutoCreate_FailsTheTask()
    {
        var error = await Assert.ThrowsAsync<UnwritableRecordException>(() => PutAllAsync(Config(Url), PersonRecord("people", 0, 1, "ann")));

        Assert.Equal("Table people is missing and auto-creation is disabled", error.Message);
    }

    [Fact]
    public async Task MissingTable_WithReporter_ReportsEveryRecordAndWritesNothing()
    {
        var reporter = new RecordingReporter();
        var (task, _) = await StartAsync(Config(Url), reporter);
        await task.PutAsync([PersonRecord("people", 0, 1, "ann"), PersonRecord("people", 1, 2, "bob")], CancellationToken.None);
        await task.StopAsync(CancellationToken.None);

        Assert.Equal([0L, 1L], reporter.Reported.Select(r => r.Record.KafkaOffset));
        Assert.All(reporter.Reported, r => Assert.IsType<TableAlterOrCreateException>(r.Error));
    }

    [Fact]
    public async Task UnmappableRecord_WithReporter_IsReportedAndTheOthersAreWritten()
    {
        var withList = SchemaBuilder.Struct().Field("id", ConnectSchema.Int32).Field("tags", SchemaBuilder.Array(ConnectSchema.String).Build()).Build();
        var reporter = new RecordingReporter();
        var (task, _) = await StartAsync(Config(Url, ("auto.create", "true")), reporter);
        await task.PutAsync(
        [
            PersonRecord("people", 0, 1, "ann"),
            Record("people", 1, null, null, withList, new Struct(withList).Put("id", 2).Put("tags", new List<object?> { "x" })),
            PersonRecord("people", 2, 3, "cid"),
        ], CancellationToken.None);
        await task.StopAsync(CancellationToken.None);

        Assert.Equal(1L, Assert.Single(reporter.Reported).Record.KafkaOffset);
        Assert.Equal(["1|ann", "3|cid"], await QueryAsync("SELECT id, name FROM people ORDER BY id"));
    }

    [Fact]
    public async Task AutoEvolve_AddsAnOptionalColumn()
    {
        await PutAllAsync(Config(Url, ("auto.create", "true")), PersonRecord("people", 0, 1, "ann"));
        var wider = SchemaBuilder.Struct().Field("id", ConnectSchema.Int32).Field("name", ConnectSchema.String)
            .Field("age", ConnectSchema.OptionalInt32).Field("email", ConnectSchema.OptionalString).Build();

        await PutAllAsync(Config(Url, ("auto.evolve", "true")),
            Record("people", 1, null, null, wider, new Struct(wider).Put("id", 2).Put("name", "bob").Put("email", "bob@example.com")));

        Assert.Equal(["1|ann|null", "2|bob|bob@example.com"], await QueryAsync("SELECT id, name, email FROM people ORDER BY id"));
    }

    [Fact]
    public async Task AutoEvolve_RefusesARequiredColumnWithoutDefault()
    {
        await PutAllAsync(Config(Url, ("auto.create", "true")), PersonRecord("people", 0, 1, "ann"));
        var wider = SchemaBuilder.Struct().Field("id", ConnectSchema.Int32).Field("name", ConnectSchema.String).Field("email", ConnectSchema.String).Build();

        var error = await Assert.ThrowsAsync<UnwritableRecordException>(() => PutAllAsync(Config(Url, ("auto.evolve", "true")),
            Record("people", 1, null, null, wider, new Struct(wider).Put("id", 2).Put("name", "bob").Put("email", "b@x"))));

        Assert.StartsWith("Cannot ALTER TABLE people to add missing field SinkRecordField{schema=Schema{STRING}, name='email'", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("as the field is not optional and does not have a default value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingColumn_WithoutAutoEvolve_FailsTheTask()
    {
        await ExecuteAsync("CREATE TABLE people (id INTEGER NOT NULL, name TEXT NOT NULL)");

        var error = await Assert.ThrowsAsync<UnwritableRecordException>(() => PutAllAsync(Config(Url), PersonRecord("people", 0, 1, "ann")));

        Assert.StartsWith("Table people is missing fields ([SinkRecordField{schema=Schema{INT32}, name='age'", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("and auto-evolution is disabled", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BatchSize_SplitsFlushes_AndEveryRecordArrives()
    {
        var records = Enumerable.Range(0, 25).Select(i => PersonRecord("people", i, i, "p" + i)).ToArray();
        await PutAllAsync(Config(Url, ("auto.create", "true"), ("batch.size", "4")), records);

        Assert.Equal(["25|0|24"], await QueryAsync("SELECT count(*), min(id), max(id) FROM people"));
    }

    [Fact]
    public async Task FailingFlush_RollsBackTheWholePut_AndAsksForARetry()
    {
        await ExecuteAsync("CREATE TABLE people (id INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, age INTEGER)");
        var (task, context) = await StartAsync(Config(Url, ("max.retries", "1"), ("retry.backoff.ms", "250"), ("batch.size", "2")));

        // Offsets 0-3 are fine; offset 4 repeats id 1, which the primary key refuses in the third flush.
        var records = new[] { 1, 2, 3, 4, 1 }.Select((id, i) => PersonRecord("people", i, id, "p" + i)).ToArray();
        await Assert.ThrowsAsync<RetriableException>(() => task.PutAsync(records, CancellationToken.None));
        Assert.Equal(250, context.LastTimeoutMs);
        Assert.Equal(["0"], await QueryAsync("SELECT count(*) FROM people"));

        var error = await Assert.ThrowsAsync<ConnectException>(() => task.PutAsync(records, CancellationToken.None));
        Assert.IsNotType<RetriableException>(error);
        Assert.StartsWith("Failing task after exhausting 1 retries", error.Message, StringComparison.Ordinal);
        await task.StopAsync(CancellationToken.None);
        Assert.Equal(["0"], await QueryAsync("SELECT count(*) FROM people"));
    }

    [Fact]
    public async Task ExhaustedRetries_WithReporter_WritesGoodRecordsAndReportsTheRefusedOne()
    {
        await ExecuteAsync("CREATE TABLE people (id INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, age INTEGER)");
        var reporter = new RecordingReporter();
        var (task, _) = await StartAsync(Config(Url, ("max.retries", "0")), reporter);

        await task.PutAsync([PersonRecord("people", 0, 1, "ann"), PersonRecord("people", 1, 1, "dup"), PersonRecord("people", 2, 2, "bob")], CancellationToken.None);
        await task.StopAsync(CancellationToken.None);

        Assert.Equal(1L, Assert.Single(reporter.Reported).Record.KafkaOffset);
        Assert.Equal(["1|ann", "2|bob"], await QueryAsync("SELECT id, name FROM people ORDER BY id"));
    }

    [Fact]
    public async Task TrimSensitiveLog_KeepsValuesOutOfTheError()
    {
        await ExecuteAsync("CREATE TABLE people (id INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL CHECK (name <> 'secret-value'), age INTEGER)");
        var (task, _) = await StartAsync(Config(Url, ("max.retries", "0"), ("trim.sensitive.log", "true")));

        var error = await Assert.ThrowsAsync<ConnectException>(() => task.PutAsync([PersonRecord("people", 0, 1, "secret-value")], CancellationToken.None));
        await task.StopAsync(CancellationToken.None);

        Assert.Contains("SQL state", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", error.ToString(), StringComparison.Ordinal);
    }

    private async Task<List<string>> QueryAsync(string sql)
    {
        await using var connection = new SqliteConnection("Data Source=" + File);
        await connection.OpenAsync();
        return await SinkTestKit.QueryAsync(connection, sql);
    }

    private async Task ExecuteAsync(params string[] statements)
    {
        await using var connection = new SqliteConnection("Data Source=" + File);
        await connection.OpenAsync();
        foreach (var sql in statements)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync();
        }
    }
}

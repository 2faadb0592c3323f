using Npgsql;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Data;
using static Tributary.Tests.Connect.Jdbc.Sink.SinkTestKit;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Tests.Connect.Jdbc.Sink;

/// <summary>The sink against a real PostgreSQL: every Connect type, time zones, upserts, deletes, rollback and connection failures.</summary>
public sealed class PostgresSinkTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly ConnectSchema AllTypes = SchemaBuilder.Struct().WithName("all")
        .Field("id", ConnectSchema.Int32)
        .Field("i8", ConnectSchema.Int8)
        .Field("i16", ConnectSchema.Int16)
        .Field("i64", ConnectSchema.Int64)
        .Field("f32", ConnectSchema.Float32)
        .Field("f64", ConnectSchema.Float64)
        .Field("flag", ConnectSchema.Boolean)
        .Field("text", ConnectSchema.String)
        .Field("data", ConnectSchema.Bytes)
        .Field("amount", LogicalTypes.Decimal(2).Build())
        .Field("day", LogicalTypes.Date().Build())
        .Field("clock", LogicalTypes.Time().Build())
        .Field("at", LogicalTypes.Timestamp().Build())
        .Field("maybe", ConnectSchema.OptionalString)
        .Field("maybe_at", LogicalTypes.Timestamp().Optional().Build())
        .Build();

    [Fact]
    public async Task AutoCreate_WithEveryConnectType_ReadsBackEqual()
    {
        var db = await postgres.CreateDatabaseAsync();
        var at = new DateTime(2024, 2, 29, 13, 14, 15, 678, DateTimeKind.Utc);
        var value = new Struct(AllTypes).Put("id", 1).Put("i8", (sbyte)-8).Put("i16", (short)1600).Put("i64", 1L << 40)
            .Put("f32", 1.5f).Put("f64", 2.25).Put("flag", true).Put("text", "héllo").Put("data", new byte[] { 0, 1, 255 })
            .Put("amount", 1234.56m).Put("day", new DateTime(2024, 2, 29, 0, 0, 0, DateTimeKind.Utc))
            .Put("clock", DateTime.UnixEpoch.AddMilliseconds(((13 * 60) + 14) * 60_000 + 15_678)).Put("at", at);

        await PutAllAsync(Config(Url(db), ("auto.create", "true"), ("pk.mode", "record_value"), ("pk.fields", "id")),
            Record("all_types", 0, null, null, AllTypes, value));

        await using var connection = await OpenAsync(db);
        await using var command = new NpgsqlCommand("SELECT * FROM all_types", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(1, reader.GetInt32(reader.GetOrdinal("id")));
        Assert.Equal((short)-8, reader.GetInt16(reader.GetOrdinal("i8")));
        Assert.Equal((short)1600, reader.GetInt16(reader.GetOrdinal("i16")));
        Assert.Equal(1L << 40, reader.GetInt64(reader.GetOrdinal("i64")));
        Assert.Equal(1.5f, reader.GetFloat(reader.GetOrdinal("f32")));
        Assert.Equal(2.25, reader.GetDouble(reader.GetOrdinal("f64")));
        Assert.True(reader.GetBoolean(reader.GetOrdinal("flag")));
        Assert.Equal("héllo", reader.GetString(reader.GetOrdinal("text")));
        Assert.Equal(new byte[] { 0, 1, 255 }, (byte[])reader["data"]);
        Assert.Equal(1234.56m, reader.GetDecimal(reader.GetOrdinal("amount")));
        Assert.Equal(new DateOnly(2024, 2, 29), reader.GetFieldValue<DateOnly>(reader.GetOrdinal("day")));
        Assert.Equal(new TimeOnly(13, 14, 15, 678), reader.GetFieldValue<TimeOnly>(reader.GetOrdinal("clock")));
        Assert.Equal(DateTime.SpecifyKind(at, DateTimeKind.Unspecified), reader.GetDateTime(reader.GetOrdinal("at")));
        Assert.True(reader.IsDBNull(reader.GetOrdinal("maybe")));
        Assert.True(reader.IsDBNull(reader.GetOrdinal("maybe_at")));

        Assert.Equal("i8|NO|smallint\nid|NO|integer\nmaybe|YES|text\nmaybe_at|YES|timestamp without time zone",
            await postgres.Server.PsqlAsync(db,
                "SELECT column_name, is_nullable, data_type FROM information_schema.columns WHERE table_name = 'all_types' " +
                "AND column_name IN ('id', 'i8', 'maybe', 'maybe_at') ORDER BY column_name"));
    }

    [Fact]
    public async Task Timestamps_FollowTheColumn_InstantForTimestamptz_WallClockInDbTimezoneOtherwise()
    {
        var db = await postgres.CreateDatabaseAsync();
        await postgres.Server.PsqlAsync(db, "CREATE TABLE events (id INT PRIMARY KEY, at_tz TIMESTAMPTZ NOT NULL, at_local TIMESTAMP NOT NULL)");
        var schema = SchemaBuilder.Struct().Field("id", ConnectSchema.Int32)
            .Field("at_tz", LogicalTypes.Timestamp().Build()).Field("at_local", LogicalTypes.Timestamp().Build()).Build();
        var at = new DateTime(2024, 7, 1, 12, 0, 0, DateTimeKind.Utc);

        await PutAllAsync(Config(Url(db), ("db.timezone", "Europe/Paris")),
            Record("events", 0, null, null, schema, new Struct(schema).Put("id", 1).Put("at_tz", at).Put("at_local", at)));

        Assert.Equal("2024-07-01 12:00:00|2024-07-01 14:00:00",
            await postgres.Server.PsqlAsync(db, "SELECT to_char(at_tz AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS'), to_char(at_local, 'YYYY-MM-DD HH24:MI:SS') FROM events"));
    }

    [Fact]
    public async Task Upsert_AndDelete_ByRecordKey()
    {
        var db = await postgres.CreateDatabaseAsync();
        var config = Config(Url(db), ("auto.create", "true"), ("insert.mode", "upsert"), ("pk.mode", "record_key"), ("delete.enabled", "true"));

        await PutAllAsync(config,
            PersonRecord("people", 0, 1, "ann"), PersonRecord("people", 1, 2, "bob"), PersonRecord("people", 2, 1, "anne", 31),
            Record("people", 3, IdKeySchema, IdKey(2), null, null));

        Assert.Equal("1|anne|31", await postgres.Server.PsqlAsync(db, "SELECT id, name, age FROM people ORDER BY id"));
    }

    [Fact]
    public async Task SchemaQualifiedTableNameFormat_WritesIntoThatSchema()
    {
        var db = await postgres.CreateDatabaseAsync();
        await postgres.Server.PsqlAsync(db, "CREATE SCHEMA sales");

        await PutAllAsync(Config(Url(db), ("auto.create", "true"), ("table.name.format", "sales.${topic}_v1")),
            PersonRecord("orders", 0, 1, "ann"));

        Assert.Equal("1|ann", await postgres.Server.PsqlAsync(db, "SELECT id, name FROM sales.orders_v1"));
    }

    [Fact]
    public async Task AutoEvolve_AddsOptionalColumn()
    {
        var db = await postgres.CreateDatabaseAsync();
        await postgres.Server.PsqlAsync(db, "CREATE TABLE people (id INT NOT NULL, name TEXT NOT NULL)");

        await PutAllAsync(Config(Url(db), ("auto.evolve", "true")), PersonRecord("people", 0, 1, "ann", 30));

        Assert.Equal("1|ann|30", await postgres.Server.PsqlAsync(db, "SELECT id, name, age FROM people"));
    }

    [Fact]
    public async Task FlushFailingMidway_RollsBackEverything()
    {
        var db = await postgres.CreateDatabaseAsync();
        await postgres.Server.PsqlAsync(db, "CREATE TABLE people (id INT PRIMARY KEY, name TEXT NOT NULL, age INT)");
        var (task, context) = await StartAsync(Config(Url(db), ("batch.size", "3"), ("max.retries", "2"), ("retry.backoff.ms", "40")));

        var records = new[] { 1, 2, 3, 4, 5, 3, 6 }.Select((id, i) => PersonRecord("people", i, id, "p" + i)).ToArray();
        var (error, _) = await PutUntilARetryAsync(task, records);
        await task.StopAsync(CancellationToken.None);

        Assert.Contains("23505", error.Message, StringComparison.Ordinal);
        Assert.Equal(40, context.LastTimeoutMs);
        Assert.Equal("0", await postgres.Server.PsqlAsync(db, "SELECT count(*) FROM people"));
    }

    [Fact]
    public async Task RetriedPut_AfterTheCauseIsFixed_WritesEveryRecordOnce()
    {
        var db = await postgres.CreateDatabaseAsync();
        await postgres.Server.PsqlAsync(db, "CREATE TABLE people (id INT PRIMARY KEY, name TEXT NOT NULL CHECK (name <> 'bad'), age INT)");
        var (task, _) = await StartAsync(Config(Url(db), ("max.retries", "3")));
        var records = new[] { PersonRecord("people", 0, 1, "ann"), PersonRecord("people", 1, 2, "bad") };

        var (_, handedAgain) = await PutUntilARetryAsync(task, records);
        await postgres.Server.PsqlAsync(db, "ALTER TABLE people DROP CONSTRAINT people_name_check");
        await task.PutAsync(handedAgain, CancellationToken.None);
        await task.FlushAsync(new Dictionary<Tributary.Grains.Connect.Api.Connector.TopicPartition, long>(), CancellationToken.None);
        await task.StopAsync(CancellationToken.None);

        Assert.Equal("1|ann\n2|bad", await postgres.Server.PsqlAsync(db, "SELECT id, name FROM people ORDER BY id"));
    }

    [Fact]
    public async Task UnreachableDatabase_FailsStartWithClearMessage()
    {
        var port = Tributary.Tests.TestKit.SiloLauncher.FreePort();
        var config = Config($"jdbc:postgresql://127.0.0.1:{port}/nowhere?password=hunter2",
            ("connection.attempts", "2"), ("connection.backoff.ms", "100"), ("connection.password", "s3cret"));

        var error = await Assert.ThrowsAsync<ConnectException>(() => StartAsync(config));

        Assert.StartsWith("Unable to connect to the database (", error.Message, StringComparison.Ordinal);
        Assert.Contains("after 2 attempt(s)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    private string Url(string db) => postgres.Server.JdbcUrl(db) + "?user=" + postgres.Server.User;

    private async Task<NpgsqlConnection> OpenAsync(string db)
    {
        var connection = new NpgsqlConnection(postgres.Server.ConnectionString(db));
        await connection.OpenAsync();
        return connection;
    }
}

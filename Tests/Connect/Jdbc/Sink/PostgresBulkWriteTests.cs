using System.Data.Common;
using Npgsql;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Jdbc.Dialects;
using Tributary.Grains.Connect.Jdbc.Sink;
using static Tributary.Tests.Connect.Jdbc.Sink.SinkTestKit;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Tests.Connect.Jdbc.Sink;

/// <summary>
/// PostgreSQL flushes of many rows go as one statement over arrays of the values (<c>unnest</c>): the table ends as it
/// does when the same records go statement by statement (flushes smaller than the bulk path's minimum), in every mode.
/// </summary>
public sealed class PostgresBulkWriteTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly ConnectSchema Row = SchemaBuilder.Struct().WithName("row")
        .Field("id", ConnectSchema.Int32)
        .Field("name", ConnectSchema.String)
        .Field("age", ConnectSchema.OptionalInt32)
        .Field("amount", LogicalTypes.Decimal(2).Build())
        .Field("day", LogicalTypes.Date().Build())
        .Field("at", LogicalTypes.Timestamp().Build())
        .Field("data", SchemaBuilder.Bytes().Optional().Build())
        .Build();

    private const string Columns = "id, name, age, amount, day, at, data";

    [Theory]
    [InlineData("insert")]
    [InlineData("upsert")]
    [InlineData("update")]
    public async Task ManyRecords_EndAsStatementByStatement(string mode)
    {
        var bulk = await postgres.CreateDatabaseAsync();
        var perRow = await postgres.CreateDatabaseAsync();
        // Insert writes each id once; upsert and update see every id three times, the last one winning.
        var records = mode == "insert" ? Records(0, Enumerable.Range(0, 300)) : Records(0, Enumerable.Range(0, 300).Select(i => i % 100));
        foreach (var db in new[] { bulk, perRow })
        {
            if (mode == "update")
            {
                await PutAllAsync(Config(Url(db), ("auto.create", "true"), ("pk.mode", "record_value"), ("pk.fields", "id")),
                    Records(1_000, Enumerable.Range(50, 100)));
            }
        }

        await PutAllAsync(Settings(bulk, mode, batchSize: 3000), records);
        await PutAllAsync(Settings(perRow, mode, batchSize: 10), records);

        var expected = await postgres.Server.PsqlAsync(perRow, $"SELECT {Columns} FROM rows ORDER BY id");
        Assert.Equal(expected, await postgres.Server.PsqlAsync(bulk, $"SELECT {Columns} FROM rows ORDER BY id"));
        var count = await postgres.Server.PsqlAsync(bulk, "SELECT count(*) FROM rows");
        Assert.Equal(mode switch { "insert" => "300", "upsert" => "100", _ => "100" }, count);
        if (mode != "insert")
        {
            // The last record of id 57 is the third one, at offset 257.
            Assert.Equal("57|name-257", await postgres.Server.PsqlAsync(bulk, "SELECT id, name FROM rows WHERE id = 57"));
        }
    }

    [Fact]
    public async Task ValuesGoIntoColumnsOfOtherTypes_AsTheServerConvertsParameters()
    {
        var bulk = await postgres.CreateDatabaseAsync();
        var perRow = await postgres.CreateDatabaseAsync();
        foreach (var db in new[] { bulk, perRow })
        {
            await postgres.Server.PsqlAsync(db,
                "CREATE TABLE rows (id BIGINT PRIMARY KEY, name VARCHAR(20) NOT NULL, age SMALLINT, amount NUMERIC(12, 1), " +
                "day DATE NOT NULL, at TIMESTAMPTZ NOT NULL, data BYTEA, extra TEXT DEFAULT 'kept')");
        }

        var records = Records(0, Enumerable.Range(0, 200));
        await PutAllAsync(Settings(bulk, "upsert", batchSize: 3000), records);
        await PutAllAsync(Settings(perRow, "upsert", batchSize: 10), records);

        const string query = $"SELECT {Columns}, extra FROM rows ORDER BY id";
        Assert.Equal(await postgres.Server.PsqlAsync(perRow, query), await postgres.Server.PsqlAsync(bulk, query));
        Assert.Equal("3|name-3|4.1|kept", await postgres.Server.PsqlAsync(bulk, "SELECT id, name, amount, extra FROM rows WHERE id = 3"));
    }

    [Fact]
    public async Task TheBulkWriter_WritesRowsOfArrays_AndDeclinesValuesOfAnotherType_SendingNothing()
    {
        var (dialect, opened, statement, parameters) = await UpsertIntoTableTAsync();
        await using var connection = opened;
        var bulk = dialect.BulkRowWriter!;
        Assert.True(bulk.CanWrite(statement, parameters));
        PendingRow Row(params object[] values) => new(statement, values, null!);

        // Every row, its nulls, and of a key written twice the later row, as the upsert one row at a time leaves it.
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            Assert.True(await bulk.TryWriteAsync(connection, transaction, statement, parameters,
                [Row(1, "a", 10L), Row(2, DBNull.Value, DBNull.Value), Row(1, "b", 11L)], CancellationToken.None));
            await transaction.CommitAsync();
        }

        Assert.Equal("1|b|11\n2||", await postgres.Server.PsqlAsync(connection.Database, "SELECT id, name, n FROM t ORDER BY id"));

        // A value that is not the parameter's type (a string for a BIGINT) is declined before anything is sent.
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            Assert.False(await bulk.TryWriteAsync(connection, transaction, statement, parameters,
                [Row(3, "c", 12L), Row(4, "d", "13")], CancellationToken.None));
            await transaction.CommitAsync();
        }

        Assert.Equal("2", await postgres.Server.PsqlAsync(connection.Database, "SELECT count(*) FROM t"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // a put of one flush goes alone, without a transaction (nor a savepoint)
    public async Task AnUpsert_InsertsNewKeys_AndOneMeetingAKeyAlreadyThere_LandsWhole_AsDoTheUpsertsAfterIt(bool inATransaction)
    {
        var (dialect, opened, statement, parameters) = await UpsertIntoTableTAsync();
        await using var connection = opened;
        var bulk = new PostgreSqlBulkWriter(dialect);
        PendingRow Row(params object[] values) => new(statement, values, null!);

        async Task FlushAsync(params PendingRow[] rows)
        {
            if (!inATransaction)
            {
                Assert.True(await bulk.TryWriteAsync(connection, null, statement, parameters, rows, CancellationToken.None));
                return;
            }

            await using var transaction = await connection.BeginTransactionAsync();
            Assert.True(await bulk.TryWriteAsync(connection, transaction, statement, parameters, rows, CancellationToken.None));
            await transaction.CommitAsync();
        }

        // New keys only: the plain insert writes them.
        await FlushAsync(Row(1, "a", 1L), Row(2, "b", 2L), Row(3, "c", 3L));
        // The key already there comes last, after two new ones: none of the insert stays, the upsert writes all three.
        await FlushAsync(Row(4, "d", 4L), Row(5, "e", 5L), Row(3, "c2", 33L));
        // The upserts after the conflict: an update and a new key, then new keys only.
        await FlushAsync(Row(5, "e2", 55L), Row(6, "f", 6L));
        for (var i = 0; i < PostgreSqlBulkWriter.UpsertsAfterAConflict + 1; i++)
        {
            await FlushAsync(Row(100 + i, "n", (long)i));
        }

        // Once the upserts after the conflict have run, an upsert tries the insert again: a key there still lands.
        await FlushAsync(Row(7, "g", 7L), Row(1, "a2", 11L));
        Assert.Equal("1|a2|11\n2|b|2\n3|c2|33\n4|d|4\n5|e2|55\n6|f|6\n7|g|7",
            await postgres.Server.PsqlAsync(connection.Database, "SELECT id, name, n FROM t WHERE id < 100 ORDER BY id"));
        Assert.Equal("17", await postgres.Server.PsqlAsync(connection.Database, "SELECT count(*) FROM t WHERE id >= 100"));
    }

    [Fact]
    public async Task AFlushOfMoreBytesThanAStatementCarries_GoesInSeveralStatements_AndLandsWhole()
    {
        var (dialect, opened, statement, parameters) = await UpsertIntoTableTAsync();
        await using var connection = opened;
        // About 130 bytes a row against statements of 1,000: a dozen statements, the repeated key's last row in the last.
        var rows = Enumerable.Range(0, 100).Select(i => new PendingRow(statement, [i, new string('x', 30) + i, (long)i], null!))
            .Append(new PendingRow(statement, [5, "last", 55L], null!)).ToList();
        var bulk = new PostgreSqlBulkWriter(dialect, maxStatementBytes: 1_000);
        Assert.InRange(PostgreSqlBulkWriter.Chunks(rows, 1_000).Count(), 10, 20);

        // Alone, a write is one statement: these rows are declined, and nothing is sent.
        Assert.False(await bulk.TryWriteAsync(connection, null, statement, parameters, rows, CancellationToken.None));
        Assert.Equal("0", await postgres.Server.PsqlAsync(connection.Database, "SELECT count(*) FROM t"));

        await using (var transaction = await connection.BeginTransactionAsync())
        {
            Assert.True(await bulk.TryWriteAsync(connection, transaction, statement, parameters, rows, CancellationToken.None));
            await transaction.CommitAsync();
        }

        Assert.Equal("100|4950|5000", await postgres.Server.PsqlAsync(connection.Database, "SELECT count(*), sum(id), sum(n) FROM t"));
        Assert.Equal("last|55", await postgres.Server.PsqlAsync(connection.Database, "SELECT name, n FROM t WHERE id = 5"));
    }

    [Fact]
    public async Task AKeyTwiceInInsertMode_FailsThePut_AndWritesNothingOfIt()
    {
        var db = await postgres.CreateDatabaseAsync();
        var config = Settings(db, "insert", batchSize: 3000);
        config["max.retries"] = "0";

        await Assert.ThrowsAnyAsync<Exception>(() => PutAllAsync(config, Records(0, Enumerable.Range(0, 100).Append(5))));

        Assert.Equal("0", await postgres.Server.PsqlAsync(db, "SELECT count(*) FROM rows"));
    }

    [Fact]
    public async Task APutAfterOneThatFailed_OnTheSameTask_Lands()
    {
        var db = await postgres.CreateDatabaseAsync();
        var config = Settings(db, "insert", batchSize: 3000);
        config["max.retries"] = "0";
        var (task, _) = await StartAsync(config);
        try
        {
            // The failed flush prepared its statement on the connection; the next flushes go on a new one.
            await PutUntilRefusedAsync(task, Records(0, Enumerable.Range(0, 100).Append(5)));
            await task.PutAsync(Records(200, Enumerable.Range(0, 100)), CancellationToken.None);
            await task.PutAsync(Records(300, Enumerable.Range(100, 100)), CancellationToken.None);
            await task.FlushAsync(new Dictionary<Tributary.Grains.Connect.Api.Connector.TopicPartition, long>(), CancellationToken.None);

            Assert.Equal("200|0|199", await postgres.Server.PsqlAsync(db, "SELECT count(*), min(id), max(id) FROM rows"));
        }
        finally
        {
            await task.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task TextIntoAUuidColumn_GoesStatementByStatement_AndLands()
    {
        var db = await postgres.CreateDatabaseAsync();
        await postgres.Server.PsqlAsync(db, "CREATE TABLE tokens (id INT PRIMARY KEY, token UUID NOT NULL)");
        var schema = SchemaBuilder.Struct().Field("id", ConnectSchema.Int32).Field("token", ConnectSchema.String).Build();
        var records = Enumerable.Range(0, 100).Select(i => Record("tokens", i, null, null, schema,
            new Struct(schema).Put("id", i).Put("token", new Guid(i, 0, 0, new byte[8]).ToString()))).ToArray();

        await PutAllAsync(Config(Url(db), ("insert.mode", "upsert"), ("pk.mode", "record_value"), ("pk.fields", "id")), records);

        Assert.Equal("100|00000063-0000-0000-0000-000000000000", await postgres.Server.PsqlAsync(db, "SELECT count(*), max(token::text) FROM tokens"));
    }

    /// <summary>A fresh database's table <c>t (id INT PRIMARY KEY, name TEXT, n BIGINT)</c>, and the sink's upsert statement into it.</summary>
    private async Task<(PostgreSqlDialect Dialect, NpgsqlConnection Connection, SinkStatement Statement, DbParameter[] Parameters)> UpsertIntoTableTAsync()
    {
        var (_, connection) = await postgres.NewDatabaseAsync();
        await using (var create = new NpgsqlCommand("CREATE TABLE t (id INT PRIMARY KEY, name TEXT, n BIGINT)", connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        var dialect = new PostgreSqlDialect(quoteIdentifiers: true);
        var bindings = new[] { Binding("id", ConnectSchema.Int32), Binding("name", ConnectSchema.OptionalString), Binding("n", ConnectSchema.OptionalInt64) };
        var statement = new SinkStatement("unused", bindings, positional: true,
            new BulkShape(InsertMode.Upsert, new TableId("public", "t"), ["id", "name", "n"], [0]));
        var parameters = bindings.Select(b =>
        {
            var parameter = new NpgsqlParameter();
            dialect.ConfigureParameter(parameter, b.Schema, null);
            return (DbParameter)parameter;
        }).ToArray();
        return (dialect, connection, statement, parameters);
    }

    private static ColumnBinding Binding(string column, ConnectSchema schema) => new(column, schema, null, SqlTypeKind.Unsupported, _ => null);

    private Dictionary<string, string> Settings(string db, string mode, int batchSize) => Config(Url(db),
        ("auto.create", "true"), ("insert.mode", mode), ("pk.mode", "record_value"), ("pk.fields", "id"),
        ("batch.size", batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private string Url(string db) => postgres.Server.JdbcUrl(db) + "?user=" + postgres.Server.User;

    // Record i of the sequence carries the id given and values of its offset, some of them null.
    private static SinkRecord[] Records(long firstOffset, IEnumerable<int> ids) => [.. ids.Select((id, i) =>
    {
        var offset = firstOffset + i;
        var value = new Struct(Row).Put("id", id).Put("name", $"name-{offset}").Put("age", offset % 3 == 0 ? null : (int)offset)
            .Put("amount", offset + 1.05m).Put("day", DateTime.UnixEpoch.AddDays(19_000 + offset))
            .Put("at", DateTime.UnixEpoch.AddMilliseconds(1_700_000_000_000 + offset * 1_001))
            .Put("data", offset % 4 == 0 ? null : new[] { (byte)offset, (byte)(offset >> 8) });
        return Record("rows", offset, null, null, Row, value);
    })];
}

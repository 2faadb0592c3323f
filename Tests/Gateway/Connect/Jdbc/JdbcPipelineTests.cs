using System.Globalization;
using Confluent.Kafka;
using Microsoft.Data.Sqlite;
using Npgsql;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Connect.Jdbc;

/// <summary>
/// The JDBC source and sink together, configured as for Confluent's connectors: a PostgreSQL table copied through an
/// Avro topic (over the Schema Registry) into SQLite, inserts and updates included, until both tables are equal; and
/// a sink that tolerates errors sends a record it cannot map to a column to the dead-letter queue.
/// </summary>
public sealed class JdbcPipelineTests(JdbcPostgresFixture fixture) : IClassFixture<JdbcPostgresFixture>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tributary-jdbc-").FullName;

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task APostgresTable_CopiedThroughAvroIntoSqlite_EndsEqual()
    {
        var (url, connection) = await fixture.NewDatabaseAsync();
        await using var _ = connection;
        await ExecuteAsync(connection,
            "CREATE TABLE products (id SERIAL PRIMARY KEY, name TEXT NOT NULL, price NUMERIC(10,2) NOT NULL, added DATE, " +
            "updated TIMESTAMP NOT NULL, active BOOLEAN, stock BIGINT)");
        for (var i = 0; i < 40; i++)
        {
            await ExecuteAsync(connection,
                $"INSERT INTO products (name, price, added, updated, active, stock) VALUES ('p{i}', {i}.{i % 100:00}, " +
                (i % 5 == 0 ? "NULL" : $"'2024-03-{1 + i % 28:00}'") + $", '2024-04-01 10:00:{i:00}.{i * 7 % 1000:000}', {(i % 2 == 0 ? "TRUE" : "FALSE")}, {i * 1000})");
        }

        var sqlite = Path.Combine(_directory, "copy.db");
        using var connect = new ConnectClient(fixture.ConnectUrl);
        Assert.Equal(201, (await connect.PutAsync("/connectors/pg-products-source/config", new Dictionary<string, string>
        {
            ["connector.class"] = "io.confluent.connect.jdbc.JdbcSourceConnector",
            ["connection.url"] = url,
            ["connection.user"] = fixture.Postgres.User,
            ["mode"] = "timestamp+incrementing",
            ["incrementing.column.name"] = "id",
            ["timestamp.column.name"] = "updated",
            ["table.whitelist"] = "products",
            ["topic.prefix"] = "pg_",
            ["poll.interval.ms"] = "200",
            ["batch.max.rows"] = "15",
            ["value.converter"] = "io.confluent.connect.avro.AvroConverter",
            ["value.converter.schema.registry.url"] = fixture.RegistryUrl,
        })).Status);
        Assert.Equal(201, (await connect.PutAsync("/connectors/sqlite-products-sink/config", new Dictionary<string, string>
        {
            ["connector.class"] = "io.confluent.connect.jdbc.JdbcSinkConnector",
            ["connection.url"] = "jdbc:sqlite:" + sqlite,
            ["topics"] = "pg_products",
            ["table.name.format"] = "${topic}",
            ["insert.mode"] = "upsert",
            ["pk.mode"] = "record_value",
            ["pk.fields"] = "id",
            ["auto.create"] = "true",
            ["value.converter"] = "io.confluent.connect.avro.AvroConverter",
            ["value.converter.schema.registry.url"] = fixture.RegistryUrl,
        })).Status);

        await Wait.UntilAsync(async () => await SqliteRowsAsync(sqlite) == await PostgresRowsAsync(connection), TimeSpan.FromSeconds(60),
            "the SQLite copy equals the PostgreSQL table");
        await ExecuteAsync(connection, "UPDATE products SET price = 999.99, active = NULL, updated = '2024-05-01 00:00:00' WHERE id IN (3, 7)");
        await ExecuteAsync(connection, "INSERT INTO products (name, price, updated) VALUES ('late', 1.00, '2024-05-02 00:00:00')");
        await Wait.UntilAsync(async () => await SqliteRowsAsync(sqlite) == await PostgresRowsAsync(connection), TimeSpan.FromSeconds(60),
            "the copy follows updates and inserts");

        var rows = (await SqliteRowsAsync(sqlite)).Split('\n');
        Assert.Equal(41, rows.Length);
        Assert.True(rows.Contains("7|p6|999.99|2024-03-07||2024-05-01 00:00:00.000|6000"), string.Join("\n", rows));
        await connect.DeleteAsync("/connectors/pg-products-source");
        await connect.DeleteAsync("/connectors/sqlite-products-sink");
    }

    [Fact]
    public async Task ARecordTheSinkCannotMap_GoesToTheDeadLetterQueue_AndTheOthersAreWritten()
    {
        // The second record's schema has an ARRAY field, which no column type holds.
        const string Plain = "{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"int32\"}]}";
        const string WithArray = "{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"int32\"},{\"field\":\"tags\",\"type\":\"array\",\"items\":{\"type\":\"string\"},\"optional\":true}]}";
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = fixture.BootstrapServers }).Build())
        {
            await producer.ProduceAsync("jdbc-tags", new Message<Null, string> { Value = $"{{\"schema\":{Plain},\"payload\":{{\"id\":1}}}}" });
            await producer.ProduceAsync("jdbc-tags", new Message<Null, string> { Value = $"{{\"schema\":{WithArray},\"payload\":{{\"id\":2,\"tags\":[\"a\",\"b\"]}}}}" });
            await producer.ProduceAsync("jdbc-tags", new Message<Null, string> { Value = $"{{\"schema\":{Plain},\"payload\":{{\"id\":3}}}}" });
        }

        var sqlite = Path.Combine(_directory, "tags.db");
        using var connect = new ConnectClient(fixture.ConnectUrl);
        Assert.Equal(201, (await connect.PutAsync("/connectors/sqlite-tags-sink/config", new Dictionary<string, string>
        {
            ["connector.class"] = "JdbcSinkConnector",
            ["connection.url"] = "jdbc:sqlite:" + sqlite,
            ["topics"] = "jdbc-tags",
            ["table.name.format"] = "tags",
            ["pk.mode"] = "record_value",
            ["pk.fields"] = "id",
            ["insert.mode"] = "upsert",
            ["auto.create"] = "true",
            ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
            ["errors.tolerance"] = "all",
            ["errors.deadletterqueue.topic.name"] = "jdbc-tags-dlq",
            ["errors.deadletterqueue.topic.replication.factor"] = "1",
        })).Status);
        Assert.Equal(201, (await connect.PutAsync("/connectors/sqlite-tags-strict/config", new Dictionary<string, string>
        {
            ["connector.class"] = "JdbcSinkConnector",
            ["connection.url"] = "jdbc:sqlite:" + Path.Combine(_directory, "strict.db"),
            ["topics"] = "jdbc-tags",
            ["pk.mode"] = "record_value",
            ["pk.fields"] = "id",
            ["auto.create"] = "true",
            ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
        })).Status);

        var deadlineForRows = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await CountAsync(sqlite, "tags") < 2 && DateTime.UtcNow < deadlineForRows)
        {
            await Task.Delay(100);
        }

        var (_, tolerant) = await connect.GetAsync("/connectors/sqlite-tags-sink/status");
        Assert.True(await CountAsync(sqlite, "tags") == 2, $"rows: {await CountAsync(sqlite, "tags")}; status: {tolerant?.ToJsonString()}");
        // Without tolerance the task fails on that record (the connector itself keeps running, as in Kafka).
        System.Text.Json.Nodes.JsonNode? strict = null;
        var deadlineForFailure = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadlineForFailure && strict?["tasks"]?[0]?["state"]?.GetValue<string>() != "FAILED")
        {
            (_, strict) = await connect.GetAsync("/connectors/sqlite-tags-strict/status");
            await Task.Delay(100);
        }

        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = fixture.BootstrapServers,
            GroupId = "dlq-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe("jdbc-tags-dlq");
        ConsumeResult<Ignore, string>? dead = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (dead is null && DateTime.UtcNow < deadline)
        {
            try
            {
                dead = consumer.Consume(TimeSpan.FromMilliseconds(500));
            }
            catch (ConsumeException e) when (e.Error.Code == ErrorCode.UnknownTopicOrPart)
            {
            }
        }

        Assert.NotNull(dead);
        Assert.Contains("\"id\":2", dead.Message.Value, StringComparison.Ordinal);
        Assert.Equal("FAILED", strict?["tasks"]?[0]?["state"]?.GetValue<string>());
        Assert.Contains("ARRAY", strict!["tasks"]![0]!["trace"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        await connect.DeleteAsync("/connectors/sqlite-tags-sink");
        await connect.DeleteAsync("/connectors/sqlite-tags-strict");
    }

    /// <summary>Every row as <c>id|name|price|added|active|updated|stock</c>, in id order, nulls empty.</summary>
    private static async Task<string> PostgresRowsAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(
            "SELECT id, name, price, added, active, updated, stock FROM products ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join("|",
                reader.GetInt32(0), reader.GetString(1), reader.GetDecimal(2).ToString("0.00", CultureInfo.InvariantCulture),
                reader.IsDBNull(3) ? "" : reader.GetDateTime(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                reader.IsDBNull(4) ? "" : reader.GetBoolean(4) ? "1" : "0",
                reader.GetDateTime(5).ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
                reader.IsDBNull(6) ? "" : reader.GetInt64(6).ToString(CultureInfo.InvariantCulture)));
        }

        return string.Join("\n", rows);
    }

    /// <summary>The SQLite copy in the same form; empty while the sink has not created its table.</summary>
    private static async Task<string> SqliteRowsAsync(string path)
    {
        if (!File.Exists(path))
        {
            return "";
        }

        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'pg_products'";
        if ((long)(await command.ExecuteScalarAsync())! == 0)
        {
            return "";
        }

        command.CommandText = "SELECT id, name, price, added, active, updated, stock FROM pg_products ORDER BY id";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(string.Join("|",
                reader.GetInt64(0), reader.GetString(1), Convert.ToDecimal(reader.GetValue(2), CultureInfo.InvariantCulture).ToString("0.00", CultureInfo.InvariantCulture),
                reader.IsDBNull(3) ? "" : reader.GetString(3),
                reader.IsDBNull(4) ? "" : reader.GetInt64(4).ToString(CultureInfo.InvariantCulture),
                reader.GetString(5),
                reader.IsDBNull(6) ? "" : reader.GetInt64(6).ToString(CultureInfo.InvariantCulture)));
        }

        return string.Join("\n", rows);
    }

    private static async Task<long> CountAsync(string path, string table)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM sqlite_master WHERE name = '{table}'";
        if ((long)(await command.ExecuteScalarAsync())! == 0)
        {
            return 0;
        }

        command.CommandText = $"SELECT count(*) FROM {table}";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

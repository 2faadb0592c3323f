using Avro;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Npgsql;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Connect.Jdbc;

/// <summary>
/// Confluent's JDBC source configuration, unchanged, against a real PostgreSQL: rows reach the topic as Avro through
/// the Schema Registry and Confluent's own Avro deserializer reads every mapped type back; a database that cannot be
/// reached fails the connector with the cause in its trace.
/// </summary>
public sealed class JdbcSourceAvroTests(JdbcPostgresFixture fixture) : IClassFixture<JdbcPostgresFixture>
{
    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task PostgresRows_ReachTheTopicAsAvro_AndConfluentsDeserializerReadsEveryType()
    {
        var (url, connection) = await fixture.NewDatabaseAsync();
        await using (connection)
        {
            await ExecuteAsync(connection,
                "CREATE TABLE customers (id SERIAL PRIMARY KEY, name TEXT NOT NULL, balance NUMERIC(10,2), born DATE, wakes TIME, " +
                "updated TIMESTAMP NOT NULL, active BOOLEAN, photo BYTEA, uid UUID, score DOUBLE PRECISION, visits BIGINT); " +
                "INSERT INTO customers (name, balance, born, wakes, updated, active, photo, uid, score, visits) VALUES " +
                "('Ada', 1234.56, '1815-12-10', '07:30:00', '2024-01-01 10:00:00.123', TRUE, '\\x00ff', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 0.5, 12), " +
                "('Grace', NULL, NULL, NULL, '2024-01-01 11:00:00', NULL, NULL, NULL, NULL, NULL)");

            using var connect = new ConnectClient(fixture.ConnectUrl);
            var created = await connect.PutAsync("/connectors/pg-customers/config", new Dictionary<string, string>
            {
                ["connector.class"] = "io.confluent.connect.jdbc.JdbcSourceConnector",
                ["connection.url"] = url,
                ["connection.user"] = fixture.Postgres.User,
                ["connection.password"] = "s3cret-pw",
                ["mode"] = "timestamp+incrementing",
                ["incrementing.column.name"] = "id",
                ["timestamp.column.name"] = "updated",
                ["table.whitelist"] = "customers",
                ["topic.prefix"] = "pg-",
                ["poll.interval.ms"] = "200",
                ["value.converter"] = "io.confluent.connect.avro.AvroConverter",
                ["value.converter.schema.registry.url"] = fixture.RegistryUrl,
            });
            Assert.Equal(201, created.Status);

            var rows = Consume("pg-customers", 2);
            var (_, shown) = await connect.GetAsync("/connectors/pg-customers/config");
            var (_, tasks) = await connect.GetAsync("/connectors/pg-customers/tasks");
            // The configuration read back, secret hidden, can be sent again: the stored secret stays.
            var again = await connect.PutAsync("/connectors/pg-customers/config", shown!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>()));
            await ExecuteAsync(connection, "INSERT INTO customers (name, updated) VALUES ('Linus', '2024-01-02 00:00:00')");
            var later = Consume("pg-customers", 3);

            var ada = rows[0];
            Assert.Equal(1, ada["id"]);
            Assert.Equal("Ada", ada["name"]);
            Assert.Equal(new AvroDecimal(1234.56m), ada["balance"]);
            Assert.Equal(new DateTime(1815, 12, 10), ((DateTime)ada["born"]).Date);
            Assert.Equal(new TimeSpan(7, 30, 0), ada["wakes"]);
            Assert.Equal(new DateTime(2024, 1, 1, 10, 0, 0, 123, DateTimeKind.Utc), ((DateTime)ada["updated"]).ToUniversalTime());
            Assert.Equal(true, ada["active"]);
            Assert.Equal(new byte[] { 0, 0xff }, ada["photo"]);
            Assert.Equal("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", ada["uid"]);
            Assert.Equal(0.5, ada["score"]);
            Assert.Equal(12L, ada["visits"]);
            Assert.Equal("Grace", rows[1]["name"]);
            Assert.Null(rows[1]["balance"]);
            Assert.Null(rows[1]["born"]);
            Assert.Equal(["Ada", "Grace", "Linus"], later.Select(r => (string)r["name"]));
            Assert.Equal("customers", ada.Schema.Name);
            Assert.Equal("[hidden]", shown["connection.password"]!.GetValue<string>());
            Assert.DoesNotContain("s3cret-pw", tasks!.ToJsonString(), StringComparison.Ordinal);
            Assert.Equal(200, again.Status);

            using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = fixture.RegistryUrl });
            Assert.Contains("pg-customers-value", await registry.GetAllSubjectsAsync());
            await connect.DeleteAsync("/connectors/pg-customers");
        }
    }

    [Fact]
    public async Task UnreachableDatabase_FailsTheConnectorWithTheCauseInItsTrace()
    {
        using var connect = new ConnectClient(fixture.ConnectUrl);
        var port = TestKit.TestPorts.Next();
        var created = await connect.PutAsync("/connectors/pg-nowhere/config", new Dictionary<string, string>
        {
            ["connector.class"] = "JdbcSourceConnector",
            ["connection.url"] = $"jdbc:postgresql://127.0.0.1:{port}/nowhere",
            ["connection.password"] = "do-not-show",
            ["connection.attempts"] = "2",
            ["connection.backoff.ms"] = "200",
            ["mode"] = "bulk",
            ["topic.prefix"] = "nowhere-",
        });
        Assert.Equal(201, created.Status);

        var status = await connect.WaitForStateAsync("pg-nowhere", "FAILED", 0, TimeSpan.FromSeconds(30));
        var trace = status["connector"]!["trace"]!.GetValue<string>();

        Assert.Contains("Unable to connect to the database", trace, StringComparison.Ordinal);
        Assert.Contains("after 2 attempt(s)", trace, StringComparison.Ordinal);
        Assert.DoesNotContain("do-not-show", trace, StringComparison.Ordinal);
        await connect.DeleteAsync("/connectors/pg-nowhere");
    }

    [Fact]
    public async Task ABadQuery_FailsTheTaskWithTheDatabasesMessage()
    {
        var (url, connection) = await fixture.NewDatabaseAsync();
        await connection.DisposeAsync();
        using var connect = new ConnectClient(fixture.ConnectUrl);
        var created = await connect.PutAsync("/connectors/pg-bad-query/config", new Dictionary<string, string>
        {
            ["connector.class"] = "io.confluent.connect.jdbc.JdbcSourceConnector",
            ["connection.url"] = url,
            ["connection.user"] = fixture.Postgres.User,
            ["mode"] = "bulk",
            ["query"] = "SELECT * FROM no_such_table",
            ["topic.prefix"] = "bad-query",
        });
        Assert.Equal(201, created.Status);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        string? trace = null;
        while (trace is null && DateTime.UtcNow < deadline)
        {
            var (_, status) = await connect.GetAsync("/connectors/pg-bad-query/status");
            if (status?["tasks"]?.AsArray() is [{ } task, ..] && task["state"]!.GetValue<string>() == "FAILED")
            {
                trace = task["trace"]!.GetValue<string>();
            }

            await Task.Delay(100);
        }

        Assert.NotNull(trace);
        Assert.Contains("Failed to run query for table query", trace, StringComparison.Ordinal);
        Assert.Contains("no_such_table", trace, StringComparison.Ordinal);
        await connect.DeleteAsync("/connectors/pg-bad-query");
    }

    private List<GenericRecord> Consume(string topic, int count)
    {
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = fixture.RegistryUrl });
        using var consumer = new ConsumerBuilder<Ignore, GenericRecord>(new ConsumerConfig
        {
            BootstrapServers = fixture.BootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).SetValueDeserializer(new AvroDeserializer<GenericRecord>(registry).AsSyncOverAsync()).Build();
        consumer.Subscribe(topic);
        var records = new List<GenericRecord>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while (records.Count < count && DateTime.UtcNow < deadline)
        {
            try
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(500)) is { Message: { } message })
                {
                    records.Add(message.Value);
                }
            }
            catch (ConsumeException e) when (e.Error.Code == ErrorCode.UnknownTopicOrPart)
            {
                // The connector creates the topic with its first records.
            }
        }

        Assert.True(records.Count >= count, $"{records.Count} of {count} records arrived on {topic}");
        return records;
    }
}

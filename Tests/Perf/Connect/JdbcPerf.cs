using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Confluent.Kafka;
using Npgsql;
using NpgsqlTypes;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Perf.Connect;

/// <summary>
/// The JDBC connectors against Npgsql doing the same work by hand, in one run, on a silo and a PostgreSQL server both
/// started here. Source: <c>io.confluent.connect.jdbc.JdbcSourceConnector</c> (<c>mode=incrementing</c> on a SERIAL
/// id, JsonConverter with schemas or AvroConverter through the silo's registry) copying a table of N rows of about
/// 100 B (id, two integers, a double, 37 characters of text, a timestamp) into a topic, timed from the connector's
/// creation until the topic's end offset reaches N (asked every 10 ms), against a plain <c>SELECT * FROM t</c> through Npgsql reading every
/// column of every row. Sink: <c>io.confluent.connect.jdbc.JdbcSinkConnector</c> (<c>insert.mode=upsert</c>,
/// <c>pk.mode=record_value</c> on id, <c>auto.create=true</c>) writing N records already in a topic (JSON envelopes
/// with their schema, produced beforehand with Confluent.Kafka) into PostgreSQL, timed from its creation until
/// <c>SELECT count(*)</c> reaches N (polled every 100 ms, through <c>max(id)</c> until that reaches N), against Npgsql's binary COPY of the same rows and against
/// hand-written batched <c>INSERT ... ON CONFLICT (id) DO UPDATE</c> (one prepared <see cref="NpgsqlBatch"/> of
/// <c>--npgsql-batch</c> rows per transaction, positional typed parameters) into an identical table. Each baseline runs
/// once before and once after its connector; the figure is their mean, so that a change of the machine's load during
/// the part weighs on both sides. The CPU seconds of the silo, of PostgreSQL (postmaster and backends) and of this
/// process (the baselines' client) are taken for each.
/// </summary>
internal static class JdbcPerf
{
    private const string Database = "perf";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static async Task<List<(string What, string Value, string Against)>> RunAsync(Arguments arguments)
    {
        var options = new Options(
            arguments.Int("rows", 200_000),
            // Kafka's default. At 1,000 a poll's rows outlived the collector's youngest generation while they were
            // converted and appended: 176,000-210,000 rows/s with 3.5-4.3 silo CPU-s against 311,000-337,000 with 2.1-2.4.
            arguments.Int("batch-max-rows", 100),
            arguments.Int("sink-batch-size", 3000),
            arguments.Int("max-poll-records", 500),
            arguments.Int("npgsql-batch", 500),
            arguments.String("converter", "json"),
            arguments.Int("warm-up-rows", 5_000),
            arguments.Int("warm-up-passes", 40),
            [.. arguments.String("parts", "source,sink").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            arguments.Int("rounds", 1));
        if (options.Rounds < 1)
        {
            throw new ArgumentException("--rounds is at least 1.");
        }
        if (options.Converter is not ("json" or "avro"))
        {
            throw new ArgumentException("--converter is json or avro.");
        }

        var flushMs = arguments.Int("offset-flush-interval-ms", 60_000);
        var root = Path.Combine(Path.GetTempPath(), "tributary-jdbc-perf-" + Guid.NewGuid().ToString("N")[..8]);
        var loadBefore = LoadAverage();
        Console.WriteLine($"load average {loadBefore}");
        var rows = new List<(string, string, string)>();
        try
        {
            await using var postgres = await PostgresServer.StartAsync();
            await postgres.CreateDatabaseAsync(Database);
            Console.WriteLine($"postgres on port {postgres.Port}, pid tree counted for CPU");
            await using var silo = await SiloLauncher.StartAsync(Path.Combine(root, "data"),
                new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" },
                ["--Tributary:Connect:OffsetFlushIntervalMs", flushMs.ToString(CultureInfo.InvariantCulture)]);
            Console.WriteLine($"silo pid {silo.ProcessId}, offset.flush.interval.ms {flushMs}");
            using var run = new Run(silo, postgres, options);

            // Both sides JIT-compile, prepare statements and activate grains on first use: small passes first, not reported.
            // Many, because code that runs once per connector, table or topic (its start, its schema's registration, a
            // partition's log opened, the REST calls) reaches the 30 calls after which it is compiled again, optimized,
            // only in a later connector: after one pass of 300,000 rows that recompiling took 0.3-0.6 of the timed
            // source's 2.2-3 silo CPU-s, after four passes of 50,000 0.06-0.21 of 0.9-1.2 (and after thirty passes it
            // fell in the first timed round, 0.5-0.6 s), after forty passes of 5,000 0.00-0.01.
            Console.WriteLine($"warming up ({options.WarmUpPasses} x {options.WarmUpRows} rows) ...");
            for (var pass = 0; pass < options.WarmUpPasses; pass++)
            {
                await run.PartAsync(options.WarmUpRows, quiet: true);
            }
            for (var round = 1; round <= options.Rounds; round++)
            {
                if (options.Rounds > 1)
                {
                    Console.WriteLine($"round {round} of {options.Rounds}");
                }

                var figures = await run.PartAsync(options.Rows, quiet: false);
                rows.AddRange(options.Rounds == 1 ? figures : figures.Select(f => ($"[{round}] {f.Item1}", f.Item2, f.Item3)));
            }

            rows.AddRange(run.Medians());
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }

        rows.Add(("load average (1, 5, 15 min)", $"{loadBefore} at start", $"{LoadAverage()} at end"));
        return rows;
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private sealed record Options(
        int Rows, int BatchMaxRows, int SinkBatchSize, int MaxPollRecords, int NpgsqlBatchRows, string Converter, int WarmUpRows, int WarmUpPasses,
        IReadOnlyList<string> Parts, int Rounds);

    /// <summary>One row as the sink's records carry it and the baselines write it.</summary>
    private readonly record struct Row(int Id, int A, long B, double C, string Name, DateTime Ts)
    {
        private static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

        public static Row Make(int id) => new(
            id, id % 1000, id * 1_000_003L, id / 3.0,
            string.Create(CultureInfo.InvariantCulture, $"name-{id:D8}-{unchecked((uint)id * 2654435761u):x8}{unchecked((uint)id * 40503u):x8}{id:x8}"),
            Start.AddMilliseconds(id));

        public long EpochMs => (long)(Ts - DateTime.UnixEpoch).TotalMilliseconds;
    }

    /// <summary>One silo's and server's parts; each part gets its own tables and topics.</summary>
    private sealed class Run(SiloLauncher silo, PostgresServer postgres, Options options) : IDisposable
    {
        private readonly SiloRuntimeCounters _counters = new(silo.HealthPort);
        private const string Columns = "id, a, b, c, name, ts";
        private const string SinkColumns = "id INT NOT NULL PRIMARY KEY, a INT NOT NULL, b BIGINT NOT NULL, c DOUBLE PRECISION NOT NULL, name TEXT NOT NULL, ts TIMESTAMP NOT NULL";

        // The JSON envelope of org.apache.kafka.connect.json.JsonConverter with schemas.enable=true, before the payload.
        private const string EnvelopeStart =
            """{"schema":{"type":"struct","name":"perf.row","optional":false,"fields":[""" +
            """{"field":"id","type":"int32","optional":false},{"field":"a","type":"int32","optional":false},""" +
            """{"field":"b","type":"int64","optional":false},{"field":"c","type":"double","optional":false},""" +
            """{"field":"name","type":"string","optional":false},""" +
            """{"field":"ts","type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1}]},"payload":""";

        private readonly string _connectionString = postgres.ConnectionString(Database);

        // Each reported round's ratios, for their medians: this machine's speed moves by a factor of two between runs
        // minutes apart, so a figure taken in rounds that alternate the connector with its baseline is the steadier one.
        private readonly Dictionary<string, List<double>> _ratios = new(StringComparer.Ordinal);
        private int _parts;
        private IConsumer<Ignore, Ignore>? _watch;

        public async Task<List<(string, string, string)>> PartAsync(int rows, bool quiet)
        {
            var part = ++_parts;
            var result = new List<(string, string, string)>();
            if (options.Parts.Contains("source"))
            {
                result.AddRange(await SourceAsync(part, rows, quiet));
            }

            if (options.Parts.Contains("sink"))
            {
                result.AddRange(await SinkAsync(part, rows, quiet));
            }

            foreach (var (what, value, against) in result)
            {
                Log(quiet, $"  {what}: {value} ({against})");
            }

            return result;
        }

        private async Task<List<(string, string, string)>> SourceAsync(int part, int rows, bool quiet)
        {
            var table = $"source_{part}";
            var topic = "jdbc-perf-" + table;
            Log(quiet, $"source table {table}: {rows} rows ...");
            await postgres.PsqlAsync(Database,
                $"CREATE TABLE {table} (id SERIAL PRIMARY KEY, a INT NOT NULL, b BIGINT NOT NULL, c DOUBLE PRECISION NOT NULL, name TEXT NOT NULL, ts TIMESTAMP NOT NULL); " +
                $"INSERT INTO {table} (a, b, c, name, ts) SELECT i % 1000, i::bigint * 1000003, i / 3.0, 'name-' || md5(i::text), " +
                $"TIMESTAMP '2024-01-01' + i * INTERVAL '1 millisecond' FROM generate_series(1, {rows}) i");
            await postgres.PsqlAsync(Database, $"VACUUM ANALYZE {table}"); // hint bits and visibility map set before any clock starts
            var rowBytes = await postgres.PsqlAsync(Database, $"SELECT pg_relation_size('{table}') / count(*) FROM {table}");
            await PerfTopics.EnsureAsync(silo.BootstrapServers, topic, 1);

            Log(quiet, $"  Npgsql SELECT * FROM {table} ...");
            await ReadAllAsync($"SELECT * FROM {table}", rows); // the first read after loading is slower (page cache, buffers): not timed
            var select = await MeasureAsync(() => ReadAllAsync($"SELECT * FROM {table}", rows));
            Log(quiet, $"  JdbcSourceConnector, mode=incrementing, batch.max.rows={options.BatchMaxRows}, {options.Converter} ...");
            using var rest = new ConnectorRest(silo.ConnectUrl);
            var name = $"jdbc-perf-source-{part}";
            var config = new Dictionary<string, string>
            {
                ["connector.class"] = "io.confluent.connect.jdbc.JdbcSourceConnector",
                ["tasks.max"] = "1",
                ["connection.url"] = postgres.JdbcUrl(Database),
                ["connection.user"] = postgres.User,
                ["table.whitelist"] = table,
                ["mode"] = "incrementing",
                ["incrementing.column.name"] = "id",
                ["batch.max.rows"] = options.BatchMaxRows.ToString(CultureInfo.InvariantCulture),
                ["poll.interval.ms"] = "1000",
                ["topic.prefix"] = "jdbc-perf-",
                ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
            };
            if (options.Converter == "avro")
            {
                config["value.converter"] = "io.confluent.connect.avro.AvroConverter";
                config["value.converter.schema.registry.url"] = silo.RegistryUrl;
            }
            else
            {
                config["value.converter"] = "org.apache.kafka.connect.json.JsonConverter";
                config["value.converter.schemas.enable"] = "true";
            }

            var first = 0.0;
            var connector = await MeasureAsync(async () =>
            {
                var clock = Stopwatch.StartNew();
                await CreateAsync(name, config);
                // The topic's end offset is one cheap request: asked every 10 ms, so that the figure is not rounded up by
                // as much as the sink's 100 ms (a tenth of a million rows' second here).
                (first, var all) = await FilledAsync(clock, $"topic {topic}", rows, () => Task.FromResult(EndOffset(topic)), () => rest.StatusAsync(name),
                    TimeSpan.FromMilliseconds(10));
                return all;
            });
            await rest.DeleteAsync(name);
            var recordBytes = FirstRecordBytes(topic);

            Log(quiet, $"  Npgsql SELECT * FROM {table} again, and the connector's own query ...");
            var selectAfter = await MeasureAsync(() => ReadAllAsync($"SELECT * FROM {table}", rows));
            var ordered = await MeasureAsync(() => ReadAllAsync($"SELECT * FROM {table} WHERE id > -1 ORDER BY id ASC", rows));
            var baseline = Mean(select, selectAfter);
            Record(quiet, "JdbcSourceConnector x SELECT (goal 0.5)", baseline.Seconds / connector.Seconds);
            return
            [
                ($"Npgsql SELECT * FROM t, every column read ({rowBytes} B/row on disk)", Rate(rows, baseline.Seconds),
                    $"{Cpu(baseline)}; rounds {Rate(rows, select.Seconds)}, {Rate(rows, selectAfter.Seconds)}"),
                ("  the connector's query by hand (WHERE id > -1 ORDER BY id)", Rate(rows, ordered.Seconds), Cpu(ordered)),
                ($"JdbcSourceConnector -> topic ({options.Converter}, {recordBytes} B/record)", Rate(rows, connector.Seconds),
                    string.Create(CultureInfo.InvariantCulture, $"{baseline.Seconds / connector.Seconds:F2} x SELECT (goal 0.5); {Cpu(connector)}")),
                ("  of which: until the first record, then the rest", string.Create(CultureInfo.InvariantCulture, $"{first:F2} s"),
                    Rate(rows, connector.Seconds - first)),
            ];
        }

        private async Task<List<(string, string, string)>> SinkAsync(int part, int rows, bool quiet)
        {
            var topic = $"jdbc_perf_sink_{part}";
            var copyTable = $"copy_{part}";
            var upsertTable = $"upsert_{part}";
            var data = Enumerable.Range(1, rows).Select(Row.Make).ToArray();
            Log(quiet, $"sink input: {rows} JSON records into {topic} ...");
            await PerfTopics.EnsureAsync(silo.BootstrapServers, topic, 1);
            var envelopeBytes = Produce(topic, data);
            await postgres.PsqlAsync(Database, $"CREATE TABLE {copyTable} ({SinkColumns}); CREATE TABLE {upsertTable} ({SinkColumns})");

            Log(quiet, "  Npgsql binary COPY, batched INSERT ... ON CONFLICT ...");
            var copy1 = await MeasureAsync(() => CopyAsync(copyTable, data));
            var upsert1 = await MeasureAsync(() => UpsertAsync(upsertTable, data));

            Log(quiet, $"  JdbcSinkConnector, upsert, batch.size={options.SinkBatchSize}, max.poll.records={options.MaxPollRecords} ...");
            using var rest = new ConnectorRest(silo.ConnectUrl);
            var name = $"jdbc-perf-sink-{part}";
            var first = 0.0;
            var connector = await MeasureAsync(async () =>
            {
                var clock = Stopwatch.StartNew();
                await CreateAsync(name, new Dictionary<string, string>
                {
                    ["connector.class"] = "io.confluent.connect.jdbc.JdbcSinkConnector",
                    ["tasks.max"] = "1",
                    ["topics"] = topic,
                    ["connection.url"] = postgres.JdbcUrl(Database),
                    ["connection.user"] = postgres.User,
                    ["insert.mode"] = "upsert",
                    ["pk.mode"] = "record_value",
                    ["pk.fields"] = "id",
                    ["auto.create"] = "true",
                    ["batch.size"] = options.SinkBatchSize.ToString(CultureInfo.InvariantCulture),
                    ["consumer.override.max.poll.records"] = options.MaxPollRecords.ToString(CultureInfo.InvariantCulture),
                    ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
                    ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
                    ["value.converter.schemas.enable"] = "true",
                });
                (first, var all) = await FilledAsync(clock, $"table {topic}", rows, () => CountAsync(topic, rows), () => rest.StatusAsync(name),
                    TimeSpan.FromMilliseconds(100));
                return all;
            });
            await rest.DeleteAsync(name);
            var same = await postgres.PsqlAsync(Database,
                $"SELECT (SELECT count(*) FROM {topic} s JOIN {copyTable} c USING (id) WHERE (s.a, s.b, s.c, s.name, s.ts) = (c.a, c.b, c.c, c.name, c.ts))");
            if (same != rows.ToString(CultureInfo.InvariantCulture))
            {
                throw new InvalidOperationException($"The sink's table holds {same} rows equal to the COPY's, of {rows}.");
            }

            Log(quiet, "  Npgsql binary COPY, batched INSERT ... ON CONFLICT again ...");
            await postgres.PsqlAsync(Database, $"TRUNCATE {copyTable}, {upsertTable}");
            var copy2 = await MeasureAsync(() => CopyAsync(copyTable, data));
            var upsert2 = await MeasureAsync(() => UpsertAsync(upsertTable, data));
            var copy = Mean(copy1, copy2);
            var upsert = Mean(upsert1, upsert2);
            Record(quiet, "JdbcSinkConnector x COPY (goal 0.3)", copy.Seconds / connector.Seconds);
            Record(quiet, "JdbcSinkConnector x batched upsert (goal 0.8)", upsert.Seconds / connector.Seconds);
            return
            [
                ("Npgsql binary COPY FROM STDIN", Rate(rows, copy.Seconds),
                    $"{Cpu(copy)}; rounds {Rate(rows, copy1.Seconds)}, {Rate(rows, copy2.Seconds)}"),
                ($"Npgsql INSERT ... ON CONFLICT, NpgsqlBatch of {options.NpgsqlBatchRows} per transaction", Rate(rows, upsert.Seconds),
                    $"{Cpu(upsert)}; rounds {Rate(rows, upsert1.Seconds)}, {Rate(rows, upsert2.Seconds)}"),
                ($"topic ({envelopeBytes} B/record JSON) -> JdbcSinkConnector upsert", Rate(rows, connector.Seconds),
                    string.Create(CultureInfo.InvariantCulture,
                        $"{copy.Seconds / connector.Seconds:F2} x COPY (goal 0.3), {upsert.Seconds / connector.Seconds:F2} x batched upsert (goal 0.8); {Cpu(connector)}")),
                ("  of which: until the first row, then the rest", string.Create(CultureInfo.InvariantCulture, $"{first:F2} s"),
                    Rate(rows, connector.Seconds - first)),
            ];
        }

        /// <summary>Reads every column of every row with its typed getter; the seconds it took.</summary>
        private async Task<double> ReadAllAsync(string sql, int rows)
        {
            var clock = Stopwatch.StartNew();
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            long count = 0, sum = 0;
            while (await reader.ReadAsync())
            {
                sum += reader.GetInt32(0) + reader.GetInt32(1) + reader.GetInt64(2) + (long)reader.GetDouble(3) + reader.GetString(4).Length +
                       reader.GetDateTime(5).Ticks;
                count++;
            }

            var seconds = clock.Elapsed.TotalSeconds;
            return count == rows && sum != 0 ? seconds : throw new InvalidOperationException($"{sql} read {count} rows of {rows}.");
        }

        private async Task<double> CopyAsync(string table, Row[] data)
        {
            var clock = Stopwatch.StartNew();
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            await using (var writer = await connection.BeginBinaryImportAsync($"COPY {table} ({Columns}) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (var row in data)
                {
                    writer.StartRow();
                    writer.Write(row.Id, NpgsqlDbType.Integer);
                    writer.Write(row.A, NpgsqlDbType.Integer);
                    writer.Write(row.B, NpgsqlDbType.Bigint);
                    writer.Write(row.C, NpgsqlDbType.Double);
                    writer.Write(row.Name, NpgsqlDbType.Text);
                    writer.Write(row.Ts, NpgsqlDbType.Timestamp);
                }

                await writer.CompleteAsync();
            }

            return clock.Elapsed.TotalSeconds;
        }

        private async Task<double> UpsertAsync(string table, Row[] data)
        {
            var sql = $"INSERT INTO {table} ({Columns}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET " +
                      "a = EXCLUDED.a, b = EXCLUDED.b, c = EXCLUDED.c, name = EXCLUDED.name, ts = EXCLUDED.ts";
            var clock = Stopwatch.StartNew();
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            for (var start = 0; start < data.Length; start += options.NpgsqlBatchRows)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                await using var batch = new NpgsqlBatch(connection, transaction);
                foreach (var row in data.AsSpan(start, Math.Min(options.NpgsqlBatchRows, data.Length - start)))
                {
                    var command = new NpgsqlBatchCommand(sql);
                    command.Parameters.Add(new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer, TypedValue = row.Id });
                    command.Parameters.Add(new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer, TypedValue = row.A });
                    command.Parameters.Add(new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = row.B });
                    command.Parameters.Add(new NpgsqlParameter<double> { NpgsqlDbType = NpgsqlDbType.Double, TypedValue = row.C });
                    command.Parameters.Add(new NpgsqlParameter<string> { NpgsqlDbType = NpgsqlDbType.Text, TypedValue = row.Name });
                    command.Parameters.Add(new NpgsqlParameter<DateTime> { NpgsqlDbType = NpgsqlDbType.Timestamp, TypedValue = row.Ts });
                    batch.BatchCommands.Add(command);
                }

                await batch.PrepareAsync();
                await batch.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
            }

            return clock.Elapsed.TotalSeconds;
        }

        /// <summary>The sink's input, acks=all; the size of one record's value.</summary>
        private int Produce(string topic, Row[] data)
        {
            using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig
            {
                BootstrapServers = silo.BootstrapServers, Acks = Acks.All, LingerMs = 5,
            }).Build();
            Error? failed = null;
            var size = 0;
            foreach (var row in data)
            {
                var payload = string.Create(CultureInfo.InvariantCulture,
                    $"\"id\":{row.Id},\"a\":{row.A},\"b\":{row.B},\"c\":{row.C:R},\"name\":\"{row.Name}\",\"ts\":{row.EpochMs}");
                var value = Encoding.UTF8.GetBytes(EnvelopeStart + "{" + payload + "}}");
                size = value.Length;
                producer.ProduceWhenRoom(topic, value, report => failed ??= report.Error.IsError ? report.Error : null);
            }

            if (producer.Flush(TimeSpan.FromMinutes(2)) > 0 || failed is not null)
            {
                throw new InvalidOperationException($"Producing the sink's input failed: {failed?.Reason ?? "not delivered within 2 minutes"}");
            }

            return size;
        }

        /// <summary>The size of the topic's first record's value, as the source wrote it.</summary>
        private int FirstRecordBytes(string topic)
        {
            using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
            {
                BootstrapServers = silo.BootstrapServers, GroupId = "jdbc-perf-peek", EnableAutoCommit = false,
            }).Build();
            consumer.Assign(new TopicPartitionOffset(topic, 0, 0));
            return consumer.Consume(TimeSpan.FromSeconds(10))?.Message.Value.Length ?? -1;
        }

        /// <summary>
        /// Polls <paramref name="held"/> (the topic's end offset, or <c>SELECT count(*)</c> of the table) every <paramref name="interval"/>
        /// until it reaches <paramref name="rows"/>; the seconds since the clock started when the first row showed and when all had.
        /// A failed task never finishes, so the connector's status is read every 3 s.
        /// </summary>
        private static async Task<(double First, double All)> FilledAsync(
            Stopwatch clock, string what, long rows, Func<Task<long>> held, Func<Task<string>> status, TimeSpan interval)
        {
            var statusDue = TimeSpan.FromSeconds(3);
            double? first = null;
            while (true)
            {
                var now = await held();
                if (now > 0 && first is null)
                {
                    first = clock.Elapsed.TotalSeconds;
                }

                if (now >= rows)
                {
                    return (first!.Value, clock.Elapsed.TotalSeconds);
                }

                if (clock.Elapsed > Timeout)
                {
                    throw new TimeoutException($"After {clock.Elapsed.TotalSeconds:F0} s {what} holds {now} of {rows} rows; connector status: {await status()}");
                }

                if (clock.Elapsed >= statusDue)
                {
                    statusDue = clock.Elapsed + TimeSpan.FromSeconds(3);
                    var current = await status();
                    if (current.Contains("\"FAILED\"", StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException($"After {clock.Elapsed.TotalSeconds:F0} s {what} holds {now} of {rows} rows; a task failed: {current}");
                    }
                }

                await Task.Delay(interval);
            }
        }

        private long EndOffset(string topic)
        {
            _watch ??= new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = silo.BootstrapServers, GroupId = "jdbc-perf-watch" }).Build();
            return _watch.QueryWatermarkOffsets(new TopicPartition(topic, 0), TimeSpan.FromSeconds(10)).High.Value;
        }

        /// <summary>
        /// The rows the sink's table holds, cheaply: <c>max(id)</c> through the primary key while it is below
        /// <paramref name="rows"/>, since one task writes the topic's records in id order, each Put in one transaction;
        /// then <c>count(*)</c>, which is the figure. (A <c>count(*)</c> every 100 ms scans the growing table each time:
        /// over a 200,000-row run that is seconds of PostgreSQL's CPU, on the 2 cores the sink runs on too.)
        /// </summary>
        private async Task<long> CountAsync(string table, long rows)
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync();
            try
            {
                await using var max = new NpgsqlCommand($"SELECT coalesce(max(id), 0) FROM {table}", connection);
                var highest = Convert.ToInt64(await max.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
                if (highest < rows)
                {
                    return highest;
                }

                await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
                return (long)(await count.ExecuteScalarAsync())!;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                return 0; // not created yet
            }
        }

        private async Task CreateAsync(string name, Dictionary<string, string> config)
        {
            using var http = new HttpClient { BaseAddress = new Uri(silo.ConnectUrl), Timeout = TimeSpan.FromMinutes(2) };
            using var response = await http.PostAsJsonAsync("/connectors", new { name, config });
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"Creating connector {name} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        }

        /// <summary>Runs <paramref name="work"/> (which answers its own seconds), taking the CPU seconds of each process meanwhile.</summary>
        private async Task<Measurement> MeasureAsync(Func<Task<double>> work)
        {
            var runtime = await _counters.ReadAsync();
            var siloCpu = silo.CpuTime;
            var postgresCpu = postgres.CpuTime;
            var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
            var seconds = await work();
            return new Measurement(
                seconds, (silo.CpuTime - siloCpu).TotalSeconds, (postgres.CpuTime - postgresCpu).TotalSeconds,
                (Process.GetCurrentProcess().TotalProcessorTime - ownCpu).TotalSeconds, SiloRuntimeCounters.Spent(runtime, await _counters.ReadAsync()));
        }

        /// <summary>Each ratio's median over the reported rounds, with the rounds' own figures; nothing for a single round.</summary>
        public IEnumerable<(string, string, string)> Medians() =>
            _ratios.Where(r => r.Value.Count > 1).Select(r =>
            {
                var sorted = r.Value.Order().ToList();
                var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
                return ($"median of {sorted.Count} rounds: {r.Key}", string.Create(CultureInfo.InvariantCulture, $"{median:F2}"),
                    "rounds " + string.Join(", ", r.Value.Select(v => v.ToString("F2", CultureInfo.InvariantCulture))));
            });

        private void Record(bool quiet, string ratio, double value)
        {
            if (!quiet)
            {
                (_ratios.TryGetValue(ratio, out var values) ? values : _ratios[ratio] = []).Add(value);
            }
        }

        public void Dispose()
        {
            _watch?.Dispose();
            _counters.Dispose();
        }

        private static Measurement Mean(Measurement a, Measurement b) =>
            new((a.Seconds + b.Seconds) / 2, (a.SiloCpu + b.SiloCpu) / 2, (a.PostgresCpu + b.PostgresCpu) / 2, (a.ClientCpu + b.ClientCpu) / 2, "");

        private static string Rate(long rows, double seconds) =>
            string.Create(CultureInfo.InvariantCulture, $"{rows / seconds:N0} rows/s ({seconds:F2} s)");

        private static string Cpu(Measurement m) =>
            string.Create(CultureInfo.InvariantCulture, $"CPU-s silo {m.SiloCpu:F1}{m.SiloRuntime}, postgres {m.PostgresCpu:F1}, client {m.ClientCpu:F1}");

        private static void Log(bool quiet, string line)
        {
            if (!quiet)
            {
                Console.WriteLine(line);
            }
        }
    }

    /// <param name="SiloRuntime">The silo's JIT and collector seconds meanwhile, when its metrics tell them.</param>
    private readonly record struct Measurement(double Seconds, double SiloCpu, double PostgresCpu, double ClientCpu, string SiloRuntime);
}

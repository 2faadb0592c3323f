using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using Tributary.Tests.TestKit;
using Xunit.Abstractions;

namespace Tributary.Tests.Silo;

/// <summary>
/// The storage sink's exactly-once promise in the real Silo process: 100,000 records flow into Parquet files while
/// the silo is killed with SIGKILL at random moments, round after round, and restarted over the same data; at the
/// end DuckDB finds every record of the topic in exactly one committed file, the acknowledged ones included.
/// </summary>
public sealed partial class StorageSinkCrashTests(ITestOutputHelper output) : IDisposable
{
    private const string Topic = "crash-lake";
    private const int Partitions = 3;
    private const int Rounds = 6;
    private const int TotalRecords = 100_000;
    private const int RecordsPerRound = TotalRecords / Rounds;

    private readonly string _data = Path.Combine(Path.GetTempPath(), "tributary-tests", "silo-" + Guid.NewGuid().ToString("N"));
    private readonly string _store = Path.Combine(Path.GetTempPath(), "tributary-tests", "lake-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        foreach (var directory in new[] { _data, _store })
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    [Fact]
    public async Task KilledAtRandomMoments_EveryRecordIsInExactlyOneCommittedFile()
    {
        var random = new Random(20241203);
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<long>();
        long total = 0;
        long[] ends = [];
        for (var round = 0; round < Rounds; round++)
        {
            await using var silo = await SiloLauncher.StartAsync(_data);
            using var http = new HttpClient { BaseAddress = new Uri(silo.ConnectUrl) };
            if (round == 0)
            {
                await CreateAsync(silo, http);
            }

            // Records flow in while the sink writes them; the silo dies under both.
            await WaitForRunningTaskAsync(http);
            using var stop = new CancellationTokenSource();
            var producing = Task.Run(() => ProduceAsync(silo.BootstrapServers, round * RecordsPerRound, RecordsPerRound, acknowledged, stop.Token));
            var delay = random.Next(300, 2500);
            await Task.Delay(delay);
            var (committed, temporary) = (CommittedFiles().Count, TemporaryFiles());
            await silo.KillAsync();
            await stop.CancelAsync();
            await producing;
            output.WriteLine($"round {round}: killed {delay} ms into the round's records, with {committed} committed files and {temporary} temporary ones; " +
                $"{acknowledged.Count} records acknowledged so far");
        }

        await using (var last = await SiloLauncher.StartAsync(_data))
        {
            // The rounds' producers stopped at their kills: the last records flow in now, to 100,000 in all.
            var sent = TopicRecords(last.BootstrapServers).Sum();
            await ProduceAsync(last.BootstrapServers, Rounds * RecordsPerRound, (int)(TotalRecords - sent), acknowledged, CancellationToken.None);
            ends = TopicRecords(last.BootstrapServers);
            total = ends.Sum();
            output.WriteLine($"{total} records in the topic, {acknowledged.Count} of them acknowledged");
            await Wait(() => Count() == total, TimeSpan.FromSeconds(120), $"all {total} records committed");
            await Task.Delay(1500); // a duplicate committed late would show now
        }

        var table = $"read_parquet('{_store}/topics/{Topic}/**/*.parquet', hive_partitioning = true)";
        var summary = DuckDb.Query($"SELECT count(*), count(DISTINCT id) FROM {table}")[0];
        Assert.Equal([total, total], summary.Select(Convert.ToInt64));
        var written = DuckDb.Query($"SELECT id FROM {table}").Select(r => Convert.ToInt64(r[0])).ToHashSet();
        Assert.DoesNotContain(acknowledged, id => !written.Contains(id));
        // The files of one rotation may interleave their offsets (one file per hour); the last one ends at the log's end.
        foreach (var partition in CommittedFiles().GroupBy(f => f.Partition))
        {
            Assert.Equal(ends[partition.Key], partition.Max(f => f.End) + 1);
        }

        Assert.Equal(0, TemporaryFiles());
    }

    private async Task CreateAsync(SiloLauncher silo, HttpClient http)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = silo.BootstrapServers }).Build();
        await admin.CreateTopicsAsync([new Confluent.Kafka.Admin.TopicSpecification { Name = Topic, NumPartitions = Partitions, ReplicationFactor = 1 }]);
        var created = await http.PutAsJsonAsync("/connectors/crash-lake-sink/config", new Dictionary<string, string>
        {
            ["connector.class"] = "io.confluent.connect.hdfs.HdfsSinkConnector",
            ["topics"] = Topic,
            ["tasks.max"] = "2",
            ["store.url"] = new Uri(_store).AbsoluteUri,
            ["format.class"] = "io.confluent.connect.hdfs.parquet.ParquetFormat",
            ["partitioner.class"] = "io.confluent.connect.storage.partitioner.HourlyPartitioner",
            ["locale"] = "en",
            ["timezone"] = "UTC",
            ["timestamp.extractor"] = "Record",
            ["flush.size"] = "1000",
            ["rotate.schedule.interval.ms"] = "1000",
            ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
            ["key.converter"] = "org.apache.kafka.connect.storage.StringConverter",
            ["consumer.override.max.poll.records"] = "700",
        });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
    }

    // About 8,000 records a second, in chunks, until all are sent or the silo is gone; the acknowledged ids are kept.
    private static async Task ProduceAsync(string bootstrap, int first, int count, System.Collections.Concurrent.ConcurrentBag<long> acknowledged, CancellationToken stop)
    {
        const string Schema = "{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"int64\"},{\"field\":\"body\",\"type\":\"string\"}]}";
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = bootstrap, Acks = Acks.All, EnableIdempotence = true, LingerMs = 5, MessageTimeoutMs = 10_000,
        }).Build();
        var start = new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero);
        for (var id = first; id < first + count && !stop.IsCancellationRequested; id++)
        {
            var sent = id;
            producer.Produce(Topic, new Message<string, string>
            {
                Key = id.ToString(CultureInfo.InvariantCulture),
                Value = $"{{\"schema\":{Schema},\"payload\":{{\"id\":{id},\"body\":\"record {id}\"}}}}",
                Timestamp = new Timestamp(start.AddSeconds(id % 7_200)),
            }, report =>
            {
                if (!report.Error.IsError)
                {
                    acknowledged.Add(sent);
                }
            });
            if (id % 500 == 499)
            {
                await Task.Delay(60, CancellationToken.None);
            }
        }

        producer.Flush(TimeSpan.FromSeconds(stop.IsCancellationRequested ? 1 : 30));
    }

    /// <summary>Each partition's log end offset: with one idempotent producer at a time and no transactions, its record count.</summary>
    private static long[] TopicRecords(string bootstrap)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "crash-lake-count" }).Build();
        return [.. Enumerable.Range(0, Partitions).Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(Topic, p), TimeSpan.FromSeconds(30)).High.Value)];
    }

    private static async Task WaitForRunningTaskAsync(HttpClient http)
    {
        JsonObject? status = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (status?["tasks"]?.AsArray() is not { Count: > 0 } tasks || !tasks.All(t => t?["state"]?.GetValue<string>() == "RUNNING"))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The sink's tasks did not run: {status}");
            await Task.Delay(100);
            var response = await http.GetAsync("/connectors/crash-lake-sink/status");
            status = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
        }
    }

    private List<(int Partition, long Start, long End)> CommittedFiles()
    {
        var directory = Path.Combine(_store, "topics", Topic);
        return !Directory.Exists(directory) ? [] :
        [
            .. Directory.GetFiles(directory, "*.parquet", SearchOption.AllDirectories)
                .Select(f => CommittedName().Match(Path.GetFileName(f)))
                .Where(m => m.Success)
                .Select(m => (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
                    long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture))),
        ];
    }

    private int TemporaryFiles()
    {
        var directory = Path.Combine(_store, "topics", "+tmp");
        return Directory.Exists(directory) ? Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Length : 0;
    }

    private long Count() => DuckDb.CountOrMinusOne($"SELECT count(*) FROM read_parquet('{_store}/topics/{Topic}/**/*.parquet')");

    private static Task Wait(Func<bool> condition, TimeSpan timeout, string what) => Wait(() => Task.FromResult(condition()), timeout, what);

    private static async Task Wait(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out after {timeout.TotalSeconds} s waiting for: {what}");
            await Task.Delay(100);
        }
    }

    [GeneratedRegex(@"^crash-lake\+(\d+)\+(\d+)\+(\d+)\.parquet$")]
    private static partial Regex CommittedName();
}

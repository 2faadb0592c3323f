using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Storage.Sink;
using Tributary.Grains.Connect.Storage.Stores;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Connect.Storage.Sink;

/// <summary>
/// The storage sink task on the local store: files committed by their offsets, recovery from the committed names and
/// the commit log, rotation rules, schema changes and bad records; DuckDB reads what was committed.
/// </summary>
public sealed class StorageSinkTaskTests : IDisposable
{
    private static readonly TopicPartition Orders0 = new("orders", 0);
    private static readonly TopicPartition Orders1 = new("orders", 1);
    private static readonly long Hour0 = new DateTimeOffset(2024, 5, 1, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private readonly TempDirectory _root = new();

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task FlushSize_CommitsFilesNamedByTheirOffsets_AndOnlyCommittedRecordsAreVisible()
    {
        await using var sink = new SinkHarness(SinkHarness.LocalConfig(_root.Path));
        await sink.StartAsync(Orders0, Orders1);

        await sink.PutAsync(Enumerable.Range(0, 250).SelectMany(i => new[]
        {
            SinkHarness.Order("orders", 0, i, Hour0 + i), SinkHarness.Order("orders", 1, i, Hour0 + i),
        }));

        Assert.Equal(0, sink.Context.Seeks[Orders0]);
        Assert.Equal(
        [
            "orders+0+0000000000+0000000099.parquet", "orders+0+0000000100+0000000199.parquet",
        ], Directory.GetFiles(_root.Combine("topics", "orders", "partition=0")).Select(Path.GetFileName).Order());
        Assert.Equal(new Dictionary<TopicPartition, long> { [Orders0] = 200, [Orders1] = 200 }, await sink.PreCommitAsync());
        var read = DuckDb.Query(
            $"SELECT partition, count(*), min(id), max(id), count(DISTINCT id) FROM read_parquet('{_root.Path}/topics/orders/**/*.parquet', hive_partitioning = true) GROUP BY partition ORDER BY partition");
        Assert.Equal(2, read.Count);
        Assert.Equal([0L, 200L, 0L, 199L, 200L], read[0].Select(Convert.ToInt64));
        Assert.Equal([1L, 200L, 0L, 199L, 200L], read[1].Select(Convert.ToInt64));
    }

    [Fact]
    public async Task AfterACrash_TheTaskReadsAgainFromTheCommittedFilesEnd_IgnoresStaleRecords_AndDeletesDeadTempFiles()
    {
        var config = SinkHarness.LocalConfig(_root.Path, ("format.class", "io.confluent.connect.azure.blob.format.json.JsonFormat"));
        var crashed = new SinkHarness(config);
        await crashed.StartAsync(Orders0);
        await crashed.PutAsync(Enumerable.Range(0, 150).Select(i => SinkHarness.Order("orders", 0, i, Hour0)));
        Assert.Single(Directory.GetFiles(_root.Combine("topics", "+tmp"), "*", SearchOption.AllDirectories));
        // No stop, no close: the process died with 50 records in a temporary file.

        await using var restarted = new SinkHarness(config);
        await restarted.StartAsync(Orders0);

        Assert.Equal(100, restarted.Context.Seeks[Orders0]);
        Assert.Empty(Directory.GetFiles(_root.Combine("topics", "+tmp"), "*", SearchOption.AllDirectories));
        // Records read ahead before the seek come first; those before the committed end are not written again.
        await restarted.PutAsync(Enumerable.Range(50, 150).Select(i => SinkHarness.Order("orders", 0, i, Hour0)));
        await restarted.PutAsync(Enumerable.Range(100, 100).Select(i => SinkHarness.Order("orders", 0, i, Hour0)));
        var read = DuckDb.Query(
            $"SELECT count(*), count(DISTINCT id), min(id), max(id) FROM read_json('{_root.Path}/topics/orders/**/*.json')");
        Assert.Equal([200L, 200L, 0L, 199L], read[0].Select(Convert.ToInt64));
    }

    [Fact]
    public async Task Recovery_FinishesACommitTheLogHolds_BeforeReadingTheOffsets()
    {
        var storage = new LocalFileStorage(new Uri(_root.Path).AbsoluteUri);
        var log = new CommitLog(storage, "logs/orders/0");
        // A rotation that crashed after its log was committed: one file renamed, the other still temporary.
        await WriteAsync(storage, "topics/+tmp/orders/partition=0/a_tmp.json", "{\"id\":0}\n");
        await WriteAsync(storage, "topics/orders/partition=0/orders+0+0000000000+0000000000.json", "{\"id\":0}\n");
        await WriteAsync(storage, "topics/+tmp/orders/hour=11/b_tmp.json", "{\"id\":1}\n");
        await WriteAsync(storage, "logs/orders/0/log.x.tmp", "{\"files\":[{\"temp\":\"topics/+tmp/orders/partition=0/a_tmp.json\"," +
            "\"committed\":\"topics/orders/partition=0/orders+0+0000000000+0000000000.json\"},{\"temp\":\"topics/+tmp/orders/hour=11/b_tmp.json\"," +
            "\"committed\":\"topics/orders/hour=11/orders+0+0000000001+0000000001.json\"}]}");
        await storage.CommitAsync("logs/orders/0/log.x.tmp", log.LogPath, CancellationToken.None);

        await using var sink = new SinkHarness(SinkHarness.LocalConfig(_root.Path, ("format.class", "JsonFormat")));
        await sink.StartAsync(Orders0);

        Assert.Equal(2, sink.Context.Seeks[Orders0]);
        Assert.True(File.Exists(_root.Combine("topics", "orders", "hour=11", "orders+0+0000000001+0000000001.json")));
        Assert.False(File.Exists(_root.Combine("logs", "orders", "0", "log")));
        Assert.Empty(Directory.GetFiles(_root.Combine("topics", "+tmp"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Recovery_LeavesTheTemporaryFilesOfTheTopicsOtherPartitions()
    {
        await using var zero = new SinkHarness(SinkHarness.LocalConfig(_root.Path));
        await zero.StartAsync(Orders0);
        await zero.PutAsync(Enumerable.Range(0, 10).Select(i => SinkHarness.Order("orders", 0, i, Hour0)));

        await using var one = new SinkHarness(SinkHarness.LocalConfig(_root.Path));
        await one.StartAsync(Orders1);

        Assert.Single(Directory.GetFiles(_root.Combine("topics", "+tmp"), "orders+0+*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task TimeBasedPartitioning_PutsEachRecordUnderItsHour_AsHivePartitions()
    {
        await using var sink = new SinkHarness(SinkHarness.LocalConfig(_root.Path,
            ("partitioner.class", "io.confluent.connect.storage.partitioner.HourlyPartitioner"),
            ("timestamp.extractor", "Record"), ("locale", "en-US"), ("timezone", "UTC"), ("flush.size", "1000")));
        await sink.StartAsync(Orders0);

        // 300 records over three hours, then enough to reach flush.size.
        await sink.PutAsync(Enumerable.Range(0, 1000).Select(i => SinkHarness.Order("orders", 0, i, Hour0 + i % 300 * 36_000)));

        var hours = DuckDb.Query(
            $"SELECT \"hour\", count(*), min(epoch_ms(\"at\")) FROM read_parquet('{_root.Path}/topics/orders/**/*.parquet', hive_partitioning = true) " +
            "GROUP BY \"hour\" ORDER BY \"hour\"");
        Assert.Equal([10L, 11L, 12L], hours.Select(h => Convert.ToInt64(h[0])));
        Assert.All(hours, h => Assert.Equal(Convert.ToInt64(h[0]), ((DateTime)h[2]!).Hour));
        Assert.Equal(1000L, hours.Sum(h => Convert.ToInt64(h[1])));
        Assert.Equal(3, Directory.GetFiles(_root.Combine("topics", "orders"), "*.parquet", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task RotateInterval_CommitsWhenTheRecordTimeReachesIt_FromTheFilesFirstRecord()
    {
        await using var sink = new SinkHarness(SinkHarness.LocalConfig(_root.Path,
            ("flush.size", "100000"), ("rotate.interval.ms", "60000"), ("timestamp.extractor", "Record")));
        await sink.StartAsync(Orders0);

        // One record a second for 150 seconds: files of records [0, 60) and [60, 120) commit; 30 wait.
        await sink.PutAsync(Enumerable.Range(0, 150).Select(i => SinkHarness.Order("orders", 0, i, Hour0 + i * 1000L)));

        Assert.Equal(
            ["orders+0+0000000000+0000000059.parquet", "orders+0+0000000060+0000000119.parquet"],
            Directory.GetFiles(_root.Combine("topics", "orders", "partition=0")).Select(Path.GetFileName).Order());
        Assert.Equal(120, (await sink.PreCommitAsync())[Orders0]);
    }

    [Fact]
    public async Task RotateSchedule_CommitsOnTheWallClock_WithoutNewRecords()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(Hour0).AddMinutes(1));
        await using var sink = new SinkHarness(SinkHarness.LocalConfig(_root.Path,
            ("flush.size", "100000"), ("rotate.schedule.interval.ms", "600000"), ("timezone", "UTC")), time);
        await sink.StartAsync(Orders0);
        await sink.PutAsync(Enumerable.Range(0, 10).Select(i => SinkHarness.Order("orders", 0, i, Hour0)));

        time.Advance(TimeSpan.FromMinutes(8));
        await sink.PutAsync([]);
        Assert.False(Directory.Exists(_root.Combine("topics", "orders")));

        time.Advance(TimeSpan.FromMinutes(1)); // 10:10, the first multiple of ten minutes in the day after 10:01
        await sink.PutAsync([]);
        Assert.Equal(["orders+0+0000000000+0000000009.parquet"],
            Directory.GetFiles(_root.Combine("topics", "orders", "partition=0")).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ASchemaChange_RotatesTheFiles_WhenCompatibilityIsNone()
    {
        await using var sink = new SinkHarness(SinkHarness.LocalConfig(_root.Path));
        await sink.StartAsync(Orders0);

        await sink.PutAsync(Enumerable.Range(0, 30).Select(i => SinkHarness.Order("orders", 0, i, Hour0, i is >= 10 and < 20 ? SinkHarness.OrderV2 : null)));

        Assert.Equal(
            ["orders+0+0000000000+0000000009.parquet", "orders+0+0000000010+0000000019.parquet"],
            Directory.GetFiles(_root.Combine("topics", "orders", "partition=0")).Select(Path.GetFileName).Order());
        var notes = DuckDb.Query($"SELECT count(note) FROM read_parquet('{_root.Path}/topics/orders/partition=0/orders+0+0000000010+0000000019.parquet')");
        Assert.Equal(10L, Convert.ToInt64(notes[0][0]));
    }

    [Fact]
    public async Task WithBackwardCompatibility_OlderRecordsAreProjectedToTheNewestSchema_AndOnlyANewerOneRotates()
    {
        await using var sink = new SinkHarness(SinkHarness.LocalConfig(_root.Path, ("schema.compatibility", "BACKWARD"), ("flush.size", "90")));
        await sink.StartAsync(Orders0);

        // v1, then v2 (rotates), then v1 again (projected into the v2 file, the note taking its default).
        await sink.PutAsync(Enumerable.Range(0, 30).Select(i => SinkHarness.Order("orders", 0, i, Hour0, i is >= 10 and < 20 ? SinkHarness.OrderV2 : null)));
        await sink.PutAsync(Enumerable.Range(30, 70).Select(i => SinkHarness.Order("orders", 0, i, Hour0)));

        Assert.Equal(
            ["orders+0+0000000000+0000000009.parquet", "orders+0+0000000010+0000000099.parquet"],
            Directory.GetFiles(_root.Combine("topics", "orders", "partition=0")).Select(Path.GetFileName).Order());
        var notes = DuckDb.Query(
            $"SELECT count(*) FILTER (WHERE note = 'none'), count(*) FILTER (WHERE note LIKE 'note-%') FROM read_parquet('{_root.Path}/topics/orders/partition=0/orders+0+0000000010+0000000099.parquet')");
        Assert.Equal([80L, 10L], notes[0].Select(Convert.ToInt64));
    }

    [Fact]
    public async Task ARecordWithoutItsTimeField_GoesToTheReporter_AndTheOthersAreWritten()
    {
        await using var sink = new SinkHarness(SinkHarness.LocalConfig(_root.Path,
            ("partitioner.class", "TimeBasedPartitioner"), ("path.format", "'day'=YYYY-MM-dd"), ("partition.duration.ms", "86400000"),
            ("timestamp.extractor", "RecordField"), ("timestamp.field", "missing"), ("locale", "en"), ("timezone", "UTC"), ("flush.size", "5")),
            withReporter: true);
        await sink.StartAsync(Orders0);

        await sink.PutAsync(Enumerable.Range(0, 3).Select(i => SinkHarness.Order("orders", 0, i, Hour0)));

        Assert.Equal([0L, 1L, 2L], sink.Context.Reported!.Reported.Select(r => r.Record.KafkaOffset));
        Assert.All(sink.Context.Reported.Reported, r => Assert.IsAssignableFrom<ConnectException>(r.Error));
    }

    [Fact]
    public async Task ARecordTheFormatCannotHold_FailsTheTask_WithoutAReporter()
    {
        await using var sink = new SinkHarness(SinkHarness.LocalConfig(_root.Path));
        await sink.StartAsync(Orders0);

        var schemaless = new SinkRecord("orders", 0, null, null, null, "not a struct", 0, Hour0, TimestampType.CreateTime);
        var error = await Assert.ThrowsAnyAsync<ConnectException>(() => sink.PutAsync([schemaless]));
        Assert.Contains("Parquet files need struct values with a schema", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HiveIntegration_KeepsTheTablesDdl_AndEveryPartitionItsFilesWentTo_AcrossRestarts()
    {
        var config = SinkHarness.LocalConfig(_root.Path,
            ("hive.integration", "true"), ("schema.compatibility", "BACKWARD"), ("hive.database", "lake"),
            ("partitioner.class", "HourlyPartitioner"), ("timestamp.extractor", "Record"), ("locale", "en"), ("timezone", "UTC"));
        await using (var first = new SinkHarness(config))
        {
            await first.StartAsync(Orders0);
            await first.PutAsync(Enumerable.Range(0, 100).Select(i => SinkHarness.Order("orders", 0, i, Hour0)));
        }

        await using (var second = new SinkHarness(config))
        {
            await second.StartAsync(Orders0);
            await second.PutAsync(Enumerable.Range(100, 100).Select(i => SinkHarness.Order("orders", 0, i, Hour0 + 3_600_000, SinkHarness.OrderV2)));
        }

        var table = await File.ReadAllTextAsync(_root.Combine("topics", "orders", "_hive", "table.sql"));
        Assert.Contains("CREATE EXTERNAL TABLE IF NOT EXISTS `lake`.`orders` (\n  `id` BIGINT,\n  `name` STRING,\n  `at` BIGINT,\n  `note` STRING\n)", table, StringComparison.Ordinal);
        Assert.Contains("PARTITIONED BY (`year` STRING, `month` STRING, `day` STRING, `hour` STRING)\nSTORED AS PARQUET\n" +
            $"LOCATION '{new Uri(_root.Path).AbsoluteUri}/topics/orders';", table, StringComparison.Ordinal);
        var partitions = await File.ReadAllLinesAsync(_root.Combine("topics", "orders", "_hive", "partitions-0.sql"));
        Assert.Equal(
        [
            "ALTER TABLE `lake`.`orders` ADD IF NOT EXISTS PARTITION (`year`='2024', `month`='05', `day`='01', `hour`='10') " +
            $"LOCATION '{new Uri(_root.Path).AbsoluteUri}/topics/orders/year=2024/month=05/day=01/hour=10';",
            "ALTER TABLE `lake`.`orders` ADD IF NOT EXISTS PARTITION (`year`='2024', `month`='05', `day`='01', `hour`='11') " +
            $"LOCATION '{new Uri(_root.Path).AbsoluteUri}/topics/orders/year=2024/month=05/day=01/hour=11';",
        ], partitions);
        // The metadata is out of the way of the data files' globs.
        Assert.Equal(200L, Convert.ToInt64(DuckDb.Query($"SELECT count(*) FROM read_parquet('{_root.Path}/topics/orders/**/*.parquet', union_by_name = true)")[0][0]));
    }

    [Fact]
    public void HiveIntegration_WithoutSchemaCompatibility_IsAConfigException()
    {
        var error = Assert.Throws<Tributary.Grains.Connect.Api.Config.ConfigException>(() =>
            StorageSinkConfig.Parse(SinkHarness.LocalConfig(_root.Path, ("hive.integration", "true"))));
        Assert.Contains("Hive Integration requires schema compatibility to be BACKWARD, FORWARD or FULL", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hdfs://namenode:8020")]
    [InlineData("s3://bucket/prefix")]
    public void StoresNotServedYet_AreRefusedWithAClearMessage(string url)
    {
        var config = StorageSinkConfig.Parse(SinkHarness.LocalConfig(_root.Path, ("store.url", url)));
        var error = Assert.Throws<Tributary.Grains.Connect.Api.Config.ConfigException>(() => Storages.Create(config));
        Assert.Contains("stores are not served yet", error.Message, StringComparison.Ordinal);
    }

    private static async Task WriteAsync(IStorage storage, string path, string text)
    {
        await using var stream = await storage.CreateAsync(path, CancellationToken.None);
        await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text));
    }
}

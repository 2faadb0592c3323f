using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Storage.Sink;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Tests.Connect.Storage.Sink;

/// <summary>
/// A storage sink task driven as the Connect runtime drives it (start, open, puts, pre-commits), with a context that
/// records what the task asks of the consumer (seeks, pauses) and a reporter when records may be reported.
/// </summary>
internal sealed class SinkHarness : IAsyncDisposable
{
    public static readonly ConnectSchema OrderV1 = SchemaBuilder.Struct().WithName("shop.order").WithVersion(1)
        .Field("id", ConnectSchema.Int64)
        .Field("name", ConnectSchema.String)
        .Field("at", ConnectSchema.Int64)
        .Build();

    public static readonly ConnectSchema OrderV2 = SchemaBuilder.Struct().WithName("shop.order").WithVersion(2)
        .Field("id", ConnectSchema.Int64)
        .Field("name", ConnectSchema.String)
        .Field("at", ConnectSchema.Int64)
        .Field("note", SchemaBuilder.String().Optional().DefaultValue("none").Build())
        .Build();

    public SinkHarness(IReadOnlyDictionary<string, string> config, FakeTimeProvider? time = null, bool withReporter = false)
    {
        Context = new RecordingContext(config, withReporter ? new Reporter() : null);
        Task = new StorageSinkTask { Time = time ?? new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20_000)) };
        Task.Initialize(Context);
        Config = config;
    }

    public IReadOnlyDictionary<string, string> Config { get; }

    public StorageSinkTask Task { get; }

    public RecordingContext Context { get; }

    public static Dictionary<string, string> LocalConfig(string root, params (string Key, string Value)[] settings)
    {
        var config = new Dictionary<string, string>
        {
            ["store.url"] = new Uri(root).AbsoluteUri,
            ["flush.size"] = "100",
            ["format.class"] = "io.confluent.connect.hdfs.parquet.ParquetFormat",
        };
        foreach (var (key, value) in settings)
        {
            config[key] = value;
        }

        return config;
    }

    public static SinkRecord Order(string topic, int partition, long offset, long at, ConnectSchema? schema = null)
    {
        schema ??= OrderV1;
        var value = new Struct(schema).Put("id", offset).Put("name", $"order-{offset}").Put("at", at);
        if (schema.Field("note") is not null)
        {
            value.Put("note", $"note-{offset}");
        }

        return new SinkRecord(topic, partition, null, null, schema, value, offset, at, TimestampType.CreateTime);
    }

    public async Task StartAsync(params TopicPartition[] partitions)
    {
        await Task.StartAsync(Config, CancellationToken.None);
        await Task.OpenAsync(partitions, CancellationToken.None);
    }

    public Task PutAsync(IEnumerable<SinkRecord> records) => Task.PutAsync(records.ToList(), CancellationToken.None);

    public async Task<IReadOnlyDictionary<TopicPartition, long>> PreCommitAsync() =>
        await Task.PreCommitAsync(new Dictionary<TopicPartition, long>(), CancellationToken.None);

    public async ValueTask DisposeAsync() => await Task.StopAsync(CancellationToken.None);

    internal sealed class RecordingContext(IReadOnlyDictionary<string, string> configs, IErrantRecordReporter? reporter) : ISinkTaskContext
    {
        public IReadOnlyDictionary<string, string> Configs { get; } = configs;

        public ILogger Logger => NullLogger.Instance;

        public IReadOnlyCollection<TopicPartition> Assignment => [];

        public IErrantRecordReporter? ErrantRecordReporter { get; } = reporter;

        public Reporter? Reported => ErrantRecordReporter as Reporter;

        public Dictionary<TopicPartition, long> Seeks { get; } = [];

        public HashSet<TopicPartition> Paused { get; } = [];

        public void Offset(IReadOnlyDictionary<TopicPartition, long> offsets)
        {
            foreach (var (partition, offset) in offsets)
            {
                Seeks[partition] = offset;
            }
        }

        public void Offset(TopicPartition partition, long offset) => Seeks[partition] = offset;

        public void Timeout(long timeoutMs)
        {
        }

        public void Pause(params TopicPartition[] partitions) => Paused.UnionWith(partitions);

        public void Resume(params TopicPartition[] partitions) => Paused.ExceptWith(partitions);

        public void RequestCommit()
        {
        }
    }

    internal sealed class Reporter : IErrantRecordReporter
    {
        public List<(SinkRecord Record, Exception Error)> Reported { get; } = [];

        public Task ReportAsync(SinkRecord record, Exception error)
        {
            Reported.Add((record, error));
            return System.Threading.Tasks.Task.CompletedTask;
        }
    }
}

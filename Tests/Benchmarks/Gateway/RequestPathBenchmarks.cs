using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Tributary.Gateway.Protocol;
using Tributary.Gateway.Protocol.Framing;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Primitives;
using Tributary.Grains.KafkaFormats.Records;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Benchmarks.Gateway;

/// <summary>
/// The broker's whole request path without TCP (<see cref="EmbeddedBroker"/>): a Produce request of one batch
/// (acks=1) and a Fetch request of as many bytes, each from its frame's bytes in to its response's bytes out, through
/// the gateway, the partition grain and the log. The memory diagnoser's bytes allocated per operation, at two request
/// sizes sixteen times apart, show what the path allocates per request and per megabyte: a path that copies into new
/// arrays allocates sixteen times more for the larger request.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class RequestPathBenchmarks
{
    private const string Topic = "request-path";
    private const short ProduceVersion = 9;
    private const short FetchVersion = 12;

    private EmbeddedBroker _broker = null!;
    private EmbeddedConnection _connection = null!;
    private byte[] _produce = null!;
    private byte[][] _fetches = null!;
    private int _nextFetch;

    /// <summary>About the bytes of records in one request: one batch produced, as many fetched.</summary>
    [Params(64 * 1024, 1024 * 1024)]
    public int RequestBytes { get; set; }

    [Params(100, 1024)]
    public int RecordSize { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _broker = await EmbeddedBroker.StartAsync();
        _connection = _broker.Connect();
        await CreateTopicAsync();

        var value = new byte[RecordSize];
        Random.Shared.NextBytes(value);
        var builder = new RecordBatchBuilder();
        // About a record's overhead in a batch beside its value: the batch comes to about RequestBytes, under message.max.bytes.
        for (var i = 0; i < Math.Max(1, RequestBytes / (RecordSize + 16)); i++)
        {
            builder.Append(1_700_000_000_000 + i, null, value, null);
        }

        _produce = RawKafkaClient.Frame(ApiKey.Produce, ProduceVersion, 1, new ProduceRequest
        {
            Acks = 1,
            TimeoutMs = 30_000,
            TopicData = [new() { Name = Topic, PartitionData = [new() { Index = 0, Records = builder.Build() }] }],
        });

        // Sixty-four batches to fetch, one request for each, read in turn.
        var offsets = new List<long>();
        for (var i = 0; i < 64; i++)
        {
            await _connection.SendAsync(_produce);
            var response = Read<ProduceResponse>(ApiKey.Produce, ProduceVersion, await ReceiveAsync());
            var partition = response.Responses[0].PartitionResponses[0];
            if (partition.ErrorCode != 0)
            {
                throw new InvalidOperationException($"Produce failed: {(ErrorCode)partition.ErrorCode}");
            }

            offsets.Add(partition.BaseOffset);
        }

        _fetches = [.. offsets.Select(offset => RawKafkaClient.Frame(ApiKey.Fetch, FetchVersion, 2, new FetchRequest
        {
            MaxWaitMs = 0,
            MinBytes = 1,
            MaxBytes = RequestBytes + 4096,
            Topics = [new() { Topic = Topic, Partitions = [new() { Partition = 0, FetchOffset = offset, PartitionMaxBytes = RequestBytes + 4096 }] }],
        }))];
        await _connection.SendAsync(_fetches[^1]);
        var fetched = Read<FetchResponse>(ApiKey.Fetch, FetchVersion, await ReceiveAsync()).Responses[0].Partitions[0];
        if (fetched.ErrorCode != 0 || fetched.Records is not { Length: > 0 } records || records.Length < RequestBytes * 0.9)
        {
            throw new InvalidOperationException($"Fetch failed: {(ErrorCode)fetched.ErrorCode}, {fetched.Records?.Length ?? 0} bytes");
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _connection.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Benchmark]
    public async Task<int> Produce()
    {
        await _connection.SendAsync(_produce);
        return await _connection.ReceiveAsync();
    }

    [Benchmark]
    public async Task<int> Fetch()
    {
        await _connection.SendAsync(_fetches[_nextFetch++ % _fetches.Length]);
        return await _connection.ReceiveAsync();
    }

    private async Task CreateTopicAsync()
    {
        await _connection.SendAsync(RawKafkaClient.Frame(ApiKey.CreateTopics, 5, 0, new CreateTopicsRequest
        {
            // The produce benchmark appends for as long as it runs: old segments go, so the disk does not fill.
            Topics = [new() { Name = Topic, NumPartitions = 1, ReplicationFactor = 1, Configs = [new() { Name = "retention.bytes", Value = "536870912" }] }],
        }));
        var response = Read<CreateTopicsResponse>(ApiKey.CreateTopics, 5, await ReceiveAsync());
        if (response.Topics[0].ErrorCode != 0)
        {
            throw new InvalidOperationException($"CreateTopics failed: {(ErrorCode)response.Topics[0].ErrorCode}");
        }
    }

    private async Task<byte[]> ReceiveAsync()
    {
        byte[] body = [];
        await _connection.ReceiveAsync(sequence => body = sequence.ToArray());
        return body;
    }

    private static T Read<T>(ApiKey key, short version, byte[] body) where T : IKafkaMessage, new()
    {
        var reader = new KafkaReader(body);
        new ResponseHeader().Read(ref reader, RequestHeaders.ResponseHeaderVersion(key, version));
        var message = new T();
        message.Read(ref reader, version);
        return message;
    }

    /// <summary>In this process: the platform runs here, as it does in the silo, with no generated project to build.</summary>
    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
    }
}

using BenchmarkDotNet.Attributes;
using Tributary.Grains.KafkaFormats.Records;

namespace Tributary.Tests.Benchmarks.KafkaFormats;

/// <summary>
/// The record batch a Connect source task writes per poll: a JDBC source's 100 records of 544 bytes (JSON with its
/// schema), and the largest batch the runtime's writer makes, half a megabyte of them; uncompressed, as the topic's
/// default. Time and allocation are per batch.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class RecordBatchBuilderBenchmarks
{
    private byte[][] _values = [];

    [Params(100, 960)]
    public int Records { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        _values = [.. Enumerable.Range(0, Records).Select(_ =>
        {
            var value = new byte[544];
            random.NextBytes(value);
            return value;
        })];
    }

    [Benchmark]
    public byte[] Build()
    {
        var builder = new RecordBatchBuilder();
        for (var i = 0; i < _values.Length; i++)
        {
            builder.Append(1_700_000_000_000 + i, null, _values[i]);
        }

        return builder.Build();
    }
}

using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Converters.Json;

namespace Tributary.Tests.Benchmarks.Connect;

/// <summary>
/// Kafka's JsonConverter with schemas, the converter a sink connector most often reads with: 1,000 records of the
/// jdbc-perf table (two int32, an int64, a double, a string and a Timestamp, each record a 544-byte envelope with its
/// schema) read into Connect structs, and the same structs written back. Per operation 1,000 records, so the time is
/// in microseconds per thousand and the memory diagnoser's figure in bytes per thousand.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 10)]
public class JsonConverterBenchmarks
{
    private const int Records = 1000;

    private const string EnvelopeStart =
        """{"schema":{"type":"struct","name":"perf.row","optional":false,"fields":[""" +
        """{"field":"id","type":"int32","optional":false},{"field":"a","type":"int32","optional":false},""" +
        """{"field":"b","type":"int64","optional":false},{"field":"c","type":"double","optional":false},""" +
        """{"field":"name","type":"string","optional":false},""" +
        """{"field":"ts","type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1}]},"payload":""";

    private readonly JsonConverter _converter = new();
    private byte[][] _records = [];
    private SchemaAndValue[] _values = [];

    [GlobalSetup]
    public void Setup()
    {
        _converter.Configure(new Dictionary<string, string> { ["schemas.enable"] = "true" }, isKey: false);
        var random = new Random(7);
        _records = Enumerable.Range(0, Records).Select(i =>
        {
            var payload = string.Create(CultureInfo.InvariantCulture,
                $"\"id\":{i},\"a\":{random.Next()},\"b\":{random.NextInt64()},\"c\":{random.NextDouble() * 1e6:R},\"name\":\"name-{random.Next(1_000_000)}-{i}\",\"ts\":{1_700_000_000_000 + i * 1000L}");
            return Encoding.UTF8.GetBytes(EnvelopeStart + "{" + payload + "}}");
        }).ToArray();
        _values = _records.Select(r => _converter.ToConnectData("t", r)).ToArray();
    }

    [Benchmark]
    public int ToConnectData()
    {
        var fields = 0;
        foreach (var record in _records)
        {
            fields += ((Struct)_converter.ToConnectData("t", record).Value!).Schema.Fields.Count;
        }

        return fields;
    }

    [Benchmark]
    public int FromConnectData()
    {
        var bytes = 0;
        foreach (var value in _values)
        {
            bytes += _converter.FromConnectData("t", value.Schema, value.Value)!.Length;
        }

        return bytes;
    }
}

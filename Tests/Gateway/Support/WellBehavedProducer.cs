using System.Diagnostics;
using Confluent.Kafka;

namespace Tributary.Tests.Gateway.Support;

/// <summary>
/// A producer minding its own business on a topic of its own while a test does something hostile elsewhere: it sends
/// one record at a time (acks=all) and times each acknowledgement, so the test can assert that the broker kept serving
/// it: every record acknowledged, none failed, and the 99th percentile of the latencies under a generous bound plus the
/// longest time the whole process stood still meanwhile (<see cref="ProcessStallWatch"/>), which no broker could avoid.
/// </summary>
public sealed class WellBehavedProducer : IAsyncDisposable
{
    private readonly IProducer<Null, byte[]> _producer;
    private readonly string _topic;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<double> _latenciesMs = [];
    private readonly List<string> _errors = [];
    private readonly ProcessStallWatch _stalls = new();
    private Task? _running;

    private WellBehavedProducer(string bootstrapServers, string topic)
    {
        _topic = topic;
        _producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            Acks = Acks.All,
            LingerMs = 0,
            MessageTimeoutMs = 30_000,
        }).Build();
    }

    /// <summary>Starts producing to <paramref name="topic"/> once its first record is acknowledged.</summary>
    public static async Task<WellBehavedProducer> StartAsync(string bootstrapServers, string topic)
    {
        var producer = new WellBehavedProducer(bootstrapServers, topic);
        await producer._producer.ProduceAsync(topic, new Message<Null, byte[]> { Value = new byte[100] });
        producer._running = Task.Run(producer.RunAsync);
        return producer;
    }

    /// <summary>Stops producing and answers what it saw.</summary>
    public async Task<(int Acknowledged, IReadOnlyList<string> Errors, double P99Ms, double MaxMs)> StopAsync()
    {
        await _stop.CancelAsync();
        if (_running is { } running)
        {
            await running;
        }

        _stalls.Dispose();

        lock (_latenciesMs)
        {
            var sorted = _latenciesMs.Order().ToArray();
            var p99 = sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * 0.99) - 1)];
            return (sorted.Length, _errors.ToList(), p99, sorted.Length == 0 ? double.NaN : sorted[^1]);
        }
    }

    /// <summary>
    /// Stops and asserts it was served meanwhile: some records acknowledged, none failed, and the 99th percentile of the
    /// acknowledgement latency under <paramref name="p99"/> (generous: this machine's cores are shared) plus the longest
    /// stall of the whole process meanwhile.
    /// </summary>
    public async Task AssertServedAsync(TimeSpan p99)
    {
        var (acknowledged, errors, p99Ms, maxMs) = await StopAsync();
        Assert.Empty(errors);
        Assert.True(acknowledged > 0, "the well-behaved producer had no record acknowledged");
        AssertUnder(acknowledged, p99Ms, maxMs, p99);
    }

    /// <summary>Asserts a p99 measured meanwhile under <paramref name="bound"/> plus the process's longest stall.</summary>
    public void AssertUnder(int acknowledged, double p99Ms, double maxMs, TimeSpan bound)
    {
        var stall = _stalls.Longest;
        var allowed = (bound + stall).TotalMilliseconds;
        Assert.True(
            p99Ms < allowed,
            $"p99 of {acknowledged} acknowledgements was {p99Ms:F0} ms (max {maxMs:F0} ms), over {allowed:F0} ms " +
            $"({bound.TotalMilliseconds:F0} ms and a process stall of {stall.TotalMilliseconds:F0} ms)");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _producer.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var value = new byte[100];
        while (!_stop.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await _producer.ProduceAsync(_topic, new Message<Null, byte[]> { Value = value });
                lock (_latenciesMs)
                {
                    _latenciesMs.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
            catch (ProduceException<Null, byte[]> e)
            {
                lock (_latenciesMs)
                {
                    _errors.Add(e.Error.ToString());
                }
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;

namespace Tributary.Tests.Silo.Cluster;

/// <summary>
/// An idempotent acks=all producer writing numbered records to every partition of a topic in the background, keeping
/// what was acknowledged (and where), what failed, and when each partition was first acknowledged after a moment the
/// test marks; and the check that every acknowledged record is read back once, at its offset, in order.
/// </summary>
internal sealed class AcknowledgedLoad : IAsyncDisposable
{
    private readonly IProducer<string, string> _producer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _producing;
    private long _markedAt;

    public AcknowledgedLoad(string bootstrap, string topic, int partitions)
    {
        Topic = topic;
        Partitions = partitions;
        _producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
            MessageTimeoutMs = 120_000,
            TopicMetadataRefreshIntervalMs = 1000,
        }).Build();
        _producing = Task.Run(ProduceAsync);
    }

    public string Topic { get; }

    public int Partitions { get; }

    /// <summary>Acknowledged records: value → partition and offset (-1001 when librdkafka knows it written without an offset).</summary>
    public ConcurrentDictionary<string, (int Partition, long Offset)> Acknowledged { get; } = new();

    public ConcurrentBag<string> Failures { get; } = [];

    /// <summary>Per partition, milliseconds from <see cref="Mark"/> to its first acknowledgement after it.</summary>
    public ConcurrentDictionary<int, long> FirstAckAfterMark { get; } = new();

    /// <summary>Starts timing the partitions' first acknowledgements from now (a kill, a pause).</summary>
    public void Mark()
    {
        FirstAckAfterMark.Clear();
        Interlocked.Exchange(ref _markedAt, _clock.ElapsedMilliseconds);
    }

    /// <summary>Waits until each of <paramref name="partitions"/> has been acknowledged since the mark, or the timeout.</summary>
    public async Task WaitForAcknowledgementsAsync(IReadOnlyCollection<int> partitions, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (partitions.Any(p => !FirstAckAfterMark.ContainsKey(p)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    /// <summary>Stops producing and waits for every record sent to be acknowledged or failed.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _producing;
        if (_producer.Flush(TimeSpan.FromSeconds(120)) != 0)
        {
            throw new TimeoutException("Records still in flight two minutes after producing stopped.");
        }
    }

    /// <summary>
    /// Reads the topic back from <paramref name="bootstrap"/>: every acknowledged record once, in the partition it was
    /// acknowledged in, at its offset, and each partition's records in the order they were produced.
    /// </summary>
    public int AssertReadBackOnce(string bootstrap)
    {
        var all = ClusterClients.ReadAll(bootstrap, Topic, Enumerable.Range(0, Partitions), Acknowledged.Count);
        var read = new Dictionary<string, (int Partition, long Offset)>();
        foreach (var record in all)
        {
            Assert.True(read.TryAdd(record.Message.Value, (record.Partition.Value, record.Offset.Value)), $"{record.Message.Value} read twice");
        }

        Assert.All(Acknowledged, a =>
        {
            Assert.True(read.TryGetValue(a.Key, out var at), $"acknowledged record {a.Key} was not read back");
            Assert.Equal(a.Value.Partition, at.Partition);
            Assert.True(a.Value.Offset < 0 || a.Value.Offset == at.Offset, $"{a.Key} acknowledged at {a.Value.Offset}, read at {at.Offset}");
        });
        Assert.All(all.GroupBy(r => r.Partition.Value), partition => Assert.Equal(
            partition.OrderBy(r => r.Offset.Value).Select(r => Sequence(r.Message.Value)),
            partition.Select(r => Sequence(r.Message.Value)).Order()));
        return all.Count;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            await _producing;
        }

        _producer.Dispose();
        _stop.Dispose();
    }

    private static int Sequence(string value) => int.Parse(value[(value.IndexOf('-') + 1)..], CultureInfo.InvariantCulture);

    private async Task ProduceAsync()
    {
        for (var sequence = 0; !_stop.IsCancellationRequested; sequence++)
        {
            for (var p = 0; p < Partitions; p++)
            {
                var value = $"{p}-{sequence}";
                _producer.Produce(new TopicPartition(Topic, p), new Message<string, string> { Key = "k", Value = value }, report =>
                {
                    if (report.Error.IsError)
                    {
                        Failures.Add($"{value}: {report.Error}");
                        return;
                    }

                    Acknowledged[value] = (report.Partition.Value, report.Offset.Value);
                    var marked = Interlocked.Read(ref _markedAt);
                    if (marked > 0)
                    {
                        FirstAckAfterMark.TryAdd(report.Partition.Value, _clock.ElapsedMilliseconds - marked);
                    }
                });
            }

            await Task.Delay(10);
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;

namespace Tributary.Tests.TestKit;

/// <summary>
/// An idempotent acks=all producer writing numbered records to every partition of a topic in the background, keeping
/// what was acknowledged (and where), what failed, and when each partition was first acknowledged after a moment the
/// test marks; and the check that every acknowledged record is read back once, at its offset, in order (in the
/// manner of Jepsen's Kafka checker).
/// </summary>
public sealed class AcknowledgedLoad : IAsyncDisposable
{
    private readonly IProducer<string, string> _producer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _producing;
    private long _markedAt;

    /// <param name="maxInFlight">librdkafka's <c>max.in.flight.requests.per.connection</c> (5 by default, the most
    /// idempotence allows). With more than one, a leader that refused a request retriably and took the next one would
    /// answer that one OUT_OF_ORDER_SEQUENCE_NUMBER, and librdkafka would bump the producer epoch and send again, from
    /// sequence 0, records whose fate it did not know: duplicates no broker can detect. The broker must never do that.</param>
    public AcknowledgedLoad(string bootstrap, string topic, int partitions, int maxInFlight = 5)
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
            MaxInFlight = maxInFlight,
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
    /// Reads the topic back from <paramref name="bootstrap"/> and compares it with what was acknowledged: records lost
    /// (acknowledged, not read), read twice, read in another partition or at another offset than acknowledged, and
    /// partitions whose records are not in the order they were produced.
    /// </summary>
    public LoadCheck Check(string bootstrap)
    {
        var all = ReadAll(bootstrap, Acknowledged.Count);
        var copies = all.GroupBy(r => r.Message.Value).ToDictionary(g => g.Key, g => g.Select(r => (Partition: r.Partition.Value, Offset: r.Offset.Value)).ToList());
        var faults = new List<string>();
        var duplicated = 0;
        foreach (var (value, at) in copies.Where(c => c.Value.Count > 1))
        {
            duplicated += at.Count - 1;
            faults.Add($"{value} read {at.Count} times at {string.Join(", ", at.Select(a => $"{a.Partition}@{a.Offset}"))}" +
                (Acknowledged.TryGetValue(value, out var acked) ? $", acknowledged at {acked.Partition}@{acked.Offset}" : ", not acknowledged"));
        }

        var lost = 0;
        var misplaced = 0;
        foreach (var (value, at) in Acknowledged)
        {
            if (!copies.TryGetValue(value, out var found))
            {
                lost++;
                faults.Add($"{value} acknowledged at {at.Partition}@{at.Offset}, not read");
            }
            else if (!found.Any(f => f.Partition == at.Partition && (at.Offset < 0 || f.Offset == at.Offset)))
            {
                misplaced++;
                faults.Add($"{value} acknowledged at {at.Partition}@{at.Offset}, read at {string.Join(", ", found.Select(f => $"{f.Partition}@{f.Offset}"))}");
            }
        }

        var unordered = all.GroupBy(r => r.Partition.Value).Count(partition => !partition
            .OrderBy(r => r.Offset.Value).Select(r => Sequence(r.Message.Value))
            .SequenceEqual(partition.Select(r => Sequence(r.Message.Value)).Order()));
        return new LoadCheck(Acknowledged.Count, Acknowledged.Count(a => a.Value.Offset < 0), all.Count, lost, duplicated, misplaced, unordered)
        {
            Faults = [.. faults.Take(10)],
        };
    }

    /// <summary>
    /// Every partition of the topic from its beginning to its end: at least <paramref name="expected"/> records and
    /// every partition at its end (so that a record read twice does not hide one never read), or a minute without them.
    /// </summary>
    private List<ConsumeResult<string, string>> ReadAll(string bootstrap, int expected)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
        {
            BootstrapServers = bootstrap,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        }).Build();
        consumer.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(Topic, p, Offset.Beginning)));
        var records = new List<ConsumeResult<string, string>>();
        var atEnd = new HashSet<int>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((records.Count < expected || atEnd.Count < Partitions) && DateTime.UtcNow < deadline)
        {
            switch (consumer.Consume(TimeSpan.FromMilliseconds(200)))
            {
                case { IsPartitionEOF: true } end:
                    atEnd.Add(end.Partition.Value);
                    break;
                case { } result:
                    atEnd.Remove(result.Partition.Value);
                    records.Add(result);
                    break;
            }
        }

        return records;
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

/// <summary>What a read-back found: acknowledged records (of which without an offset), records read, and the faults.</summary>
public sealed record LoadCheck(int Acknowledged, int WithoutOffset, int Read, int Lost, int Duplicated, int Misplaced, int UnorderedPartitions)
{
    /// <summary>The first faults found, each with where its record was acknowledged and read.</summary>
    public IReadOnlyList<string> Faults { get; init; } = [];

    public bool Clean => Lost == 0 && Duplicated == 0 && Misplaced == 0 && UnorderedPartitions == 0;

    public override string ToString() =>
        $"{Acknowledged} acknowledged ({WithoutOffset} without an offset), {Read} read: {Lost} lost, {Duplicated} duplicated, {Misplaced} misplaced, {UnorderedPartitions} partitions out of order"
        + (Faults.Count > 0 ? "; " + string.Join("; ", Faults) : "");
}

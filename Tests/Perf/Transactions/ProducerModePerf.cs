using System.Diagnostics;
using Confluent.Kafka;

namespace Tributary.Tests.Perf.Transactions;

/// <summary>How the producers of a run write: plain acks=all, idempotent, or in transactions of a given size.</summary>
internal enum ProducerMode
{
    Plain,
    Idempotent,
    Transactional,
}

/// <summary>How one run of producers is set up.</summary>
internal sealed record ProducerRun(
    ProducerMode Mode, int Producers, long RecordsPerProducer, int RecordSize, int TransactionRecords, int LingerMs, bool Mock, int? MaxInFlight = null,
    bool BackgroundPoll = true);

/// <summary>
/// Several Confluent.Kafka producers writing at once, each on its own thread, in one of the <see cref="ProducerMode"/>s;
/// every record acknowledged by the whole cluster (acks=all); against the broker or librdkafka's in-memory mock broker.
/// </summary>
internal static class ProducerModePerf
{
    /// <summary>
    /// Records per second over all producers, in steady state: the clock starts once every producer is connected and has
    /// had a first record acknowledged (an idempotent librdkafka producer waits about half a second for its producer id,
    /// a plain one 50-100 ms for its first metadata), which in runs of a second or two would otherwise weigh on the ratios.
    /// </summary>
    public static double Run(string bootstrap, string topic, ProducerRun run)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        using var ready = new Barrier(run.Producers + 1);
        var threads = Enumerable.Range(0, run.Producers).Select(p => new Thread(() => Produce(bootstrap, topic, run, $"perf-{id}-{p}", ready))).ToList();
        threads.ForEach(t => t.Start());
        if (!ready.SignalAndWait(TimeSpan.FromMinutes(2)))
        {
            throw new TimeoutException("The producers did not get their first records acknowledged within two minutes.");
        }

        var watch = Stopwatch.StartNew();
        threads.ForEach(t => t.Join());
        return run.Producers * run.RecordsPerProducer / watch.Elapsed.TotalSeconds;
    }

    private static void Produce(string bootstrap, string topic, ProducerRun run, string transactionalId, Barrier ready)
    {
        var (mode, records, recordSize, transactionRecords) = (run.Mode, run.RecordsPerProducer, run.RecordSize, run.TransactionRecords);
        var config = new ProducerConfig
        {
            BootstrapServers = bootstrap,
            Acks = Acks.All,
            LingerMs = run.LingerMs,
            BatchSize = 1_000_000,
            QueueBufferingMaxMessages = 1_000_000,
            EnableIdempotence = mode != ProducerMode.Plain,
            TransactionalId = mode == ProducerMode.Transactional ? transactionalId : null,

            // CommitTransaction flushes, and librdkafka's flush waits for delivery reports by polling in steps of 10 ms:
            // when Confluent.Kafka's background thread takes the reports first, every commit sleeps out those 10 ms
            // whatever the broker does. Without the background thread the flush serves the reports itself.
            EnableBackgroundPoll = run.BackgroundPoll,
        };
        if (run.MaxInFlight is { } inFlight)
        {
            config.MaxInFlight = inFlight;
        }

        if (run.Mock)
        {
            config.Set("test.mock.num.brokers", "1");
        }

        long failed = 0;
        Action<DeliveryReport<Null, byte[]>> delivered = report =>
        {
            if (report.Error.IsError)
            {
                Interlocked.Increment(ref failed);
            }
        };
        using var producer = new ProducerBuilder<Null, byte[]>(config).Build();
        var transactional = mode == ProducerMode.Transactional;
        if (transactional)
        {
            producer.InitTransactions(TimeSpan.FromSeconds(30));
        }

        var value = new byte[recordSize];
        Warm(producer, topic, value, transactional);
        ready.SignalAndWait();
        for (long i = 0; i < records; i++)
        {
            if (transactional && i % transactionRecords == 0)
            {
                producer.BeginTransaction();
            }

            producer.ProduceWhenRoom(topic, value, delivered);

            if (transactional && (i % transactionRecords == transactionRecords - 1 || i == records - 1))
            {
                producer.CommitTransaction(TimeSpan.FromSeconds(60));
            }
        }

        producer.Flush(TimeSpan.FromMinutes(5));
        if (Interlocked.Read(ref failed) > 0)
        {
            throw new InvalidOperationException($"{failed} records were not delivered.");
        }
    }

    /// <summary>One record (in a transaction of its own when transactional), acknowledged before the clock starts.</summary>
    private static void Warm(IProducer<Null, byte[]> producer, string topic, byte[] value, bool transactional)
    {
        if (transactional)
        {
            producer.BeginTransaction();
        }

        producer.Produce(topic, new Message<Null, byte[]> { Value = value });
        if (transactional)
        {
            producer.CommitTransaction(TimeSpan.FromSeconds(60));
        }
        else
        {
            producer.Flush(TimeSpan.FromSeconds(60));
        }
    }
}

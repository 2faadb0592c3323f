using System.Globalization;

namespace Tributary.Tests.Perf.Transactions;

/// <summary>
/// The producer-guarantees mode: plain acks=all, idempotent and transactional producers (transactions of 100 records by
/// default) writing in the same run, against the broker and, as the client's own ceiling, librdkafka's mock broker.
/// Plain and idempotent runs alternate in pairs (<c>--rounds</c>, default 5) and the idempotent ratio is the median of
/// the pairs' ratios, since single runs of a second or two swing with this machine's scheduling.
/// </summary>
internal static class TransactionPerf
{
    public static async Task<List<(string What, string Value, string Against)>> RunAsync(string bootstrap, Arguments arguments)
    {
        var producers = arguments.Int("producers", 4);
        var records = arguments.Int("records", 2_000_000);
        var transactionalRecords = arguments.Int("transactional-records", 200_000);
        var recordSize = arguments.Int("record-size", 100);
        var transactionRecords = arguments.Int("transaction-records", 100);
        var partitions = arguments.Int("partitions", 4);
        var topic = $"guarantees-{partitions}";
        await PerfTopics.EnsureAsync(bootstrap, topic, partitions);

        ProducerRun Run(ProducerMode mode, long total, int lingerMs = 5, bool mock = false) =>
            new(mode, producers, total / producers, recordSize, transactionRecords, lingerMs, mock);
        double Measure(ProducerRun run) => ProducerModePerf.Run(run.Mock ? "localhost:1" : bootstrap, topic, run);

        Console.WriteLine($"producing {recordSize} B records with {producers} producers: plain and idempotent, alternating ...");
        Measure(Run(ProducerMode.Plain, records / 10));
        var pairs = new List<(double Plain, double Idempotent)>();
        for (var round = 0; round < arguments.Int("rounds", 5); round++)
        {
            pairs.Add((Measure(Run(ProducerMode.Plain, records)), Measure(Run(ProducerMode.Idempotent, records))));
        }

        // An idempotent producer keeps at most 5 requests in flight per broker (librdkafka and Java alike); plain
        // producers with the same limit show how much of the gap is that limit rather than the broker's work.
        var capped = Enumerable.Range(0, 3).Select(_ => Measure(Run(ProducerMode.Plain, records) with { MaxInFlight = 5 })).Order().ElementAt(1);

        var ratios = pairs.Select(p => p.Idempotent / p.Plain).Order().ToList();
        var plain = pairs.Select(p => p.Plain).Order().ElementAt(pairs.Count / 2);
        var idempotent = pairs.Select(p => p.Idempotent).Order().ElementAt(pairs.Count / 2);

        Console.WriteLine($"transactions of {transactionRecords} records ...");
        var transactionalDefaults = Measure(Run(ProducerMode.Transactional, transactionalRecords));
        var transactional = Measure(Run(ProducerMode.Transactional, transactionalRecords) with { BackgroundPoll = false });
        var transactionalNoLinger = Measure(Run(ProducerMode.Transactional, transactionalRecords, lingerMs: 0) with { BackgroundPoll = false });

        // A transactional producer waits for each commit, so more producers keep the broker busier: the same count of
        // plain producers is measured beside each count of transactional ones.
        var scaling = new List<(string What, string Value, string Against)>();
        foreach (var count in arguments.String("transactional-producers", "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse))
        {
            var plainRun = Run(ProducerMode.Plain, records) with { Producers = count, RecordsPerProducer = records / count };
            var transactionalRun = Run(ProducerMode.Transactional, transactionalRecords) with
            {
                Producers = count, RecordsPerProducer = transactionalRecords / count, BackgroundPoll = false,
            };
            var (plainRate, transactionalRate) = (Measure(plainRun), Measure(transactionalRun));
            scaling.Add(($"{count} producers, {recordSize} B, acks=all, transactions of {transactionRecords}, linger 5 ms", Rate(transactionalRate),
                string.Create(CultureInfo.InvariantCulture, $"{transactionalRate / plainRate:F2} x {count} plain producers ({Rate(plainRate)}, goal 0.7)")));
        }

        Console.WriteLine("the same against librdkafka's mock broker ...");
        var mockPlain = Measure(Run(ProducerMode.Plain, records, mock: true));
        var mockIdempotent = Measure(Run(ProducerMode.Idempotent, records, mock: true));
        var mockTransactional = Measure(Run(ProducerMode.Transactional, transactionalRecords, lingerMs: 0, mock: true) with { BackgroundPoll = false });

        var what = $"{producers} producers, {recordSize} B, acks=all";
        return
        [
            ($"{what}, plain (median of {pairs.Count})", Rate(plain), ""),
            ($"{what}, idempotent (median of {pairs.Count})", Rate(idempotent),
                string.Create(CultureInfo.InvariantCulture, $"median pair ratio {ratios[ratios.Count / 2]:F2} x plain (goal 0.95); pairs {string.Join(" ", ratios.Select(r => r.ToString("F2", CultureInfo.InvariantCulture)))}")),
            ($"{what}, plain with 5 requests in flight (median of 3)", Rate(capped), $"idempotent {idempotent / capped:F2} x this"),
            ($"{what}, transactions of {transactionRecords}, Confluent.Kafka defaults (background poll: 10 ms per commit)", Rate(transactionalDefaults), $"{transactionalDefaults / plain:F2} x plain"),
            ($"{what}, transactions of {transactionRecords}, linger 5 ms", Rate(transactional), $"{transactional / plain:F2} x plain (goal 0.7)"),
            ($"{what}, transactions of {transactionRecords}, linger 0", Rate(transactionalNoLinger), $"{transactionalNoLinger / plain:F2} x plain (goal 0.7)"),
            .. scaling,
            ($"mock broker: {what}, plain", Rate(mockPlain), ""),
            ($"mock broker: {what}, idempotent", Rate(mockIdempotent), $"{mockIdempotent / mockPlain:F2} x mock plain"),
            ($"mock broker: {what}, transactions of {transactionRecords}, linger 0", Rate(mockTransactional), $"{mockTransactional / mockPlain:F2} x mock plain: the client's own ceiling"),
        ];
    }

    private static string Rate(double recordsPerSecond) => string.Create(CultureInfo.InvariantCulture, $"{recordsPerSecond:F0} records/s");
}

using System.Globalization;

namespace Tributary.Tests.Perf.Transactions;

/// <summary>
/// The producer-guarantees mode: plain acks=all, idempotent and transactional producers (transactions of 100 records by
/// default) writing in the same run, against the broker and, as the client's own ceiling, librdkafka's mock broker.
/// Plain, plain limited to 5 requests in flight, and idempotent runs take turns (<c>--rounds</c>, default 5) and the
/// ratios are the medians of the rounds' ratios, since single runs of a second or two swing with this machine's
/// scheduling. Producers that speak the protocol themselves as the Java client sends (<see cref="RawProducePerf"/>)
/// give the broker's own cost of idempotence, which librdkafka's one request per partition in flight hides.
/// <c>--transactional-producers 4,16</c> compares that many transactional producers with as many plain ones.
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

        var parts = arguments.String("parts", "idempotence,raw,transactions,raw-transactions").Split(',').ToHashSet(StringComparer.Ordinal);
        var rounds = arguments.Int("rounds", 5);
        var what = $"{producers} producers, {recordSize} B, acks=all";
        var rows = new List<(string What, string Value, string Against)>();
        var plain = 0.0;
        var mockPlain = 0.0;

        if (parts.Contains("idempotence"))
        {
            Console.WriteLine($"producing {recordSize} B records with {producers} producers: plain, plain with 5 in flight and idempotent, in turn ...");
            Measure(Run(ProducerMode.Plain, records / 10));

            // An idempotent producer keeps at most 5 requests in flight per broker (librdkafka and Java alike, and Java's
            // plain producer too); plain producers with the same limit show how much of the gap is that limit rather than
            // the broker's work. The same rounds against the mock broker give the client's own ratios.
            var broker = IdempotenceRounds(rounds, mock: false);
            var mock = IdempotenceRounds(rounds, mock: true);
            List<Round> IdempotenceRounds(int count, bool mock) => Enumerable.Range(0, count).Select(_ => new Round(
                Measure(Run(ProducerMode.Plain, records, mock: mock)),
                Measure(Run(ProducerMode.Plain, records, mock: mock) with { MaxInFlight = 5 }),
                Measure(Run(ProducerMode.Idempotent, records, mock: mock)))).ToList();
            (plain, mockPlain) = (Median(broker.Select(r => r.Plain)), Median(mock.Select(r => r.Plain)));
            rows.AddRange(IdempotenceRows(what, broker));
            rows.AddRange(IdempotenceRows($"mock broker: {what}", mock));
        }

        var port = int.Parse(bootstrap[(bootstrap.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        var batchBytes = arguments.Int("raw-batch-bytes", 65536);
        var rawRecords = arguments.Int("raw-records", records);
        double Raw(bool idempotent, int count = 0) =>
            RawProducePerf.Run(port, topic, partitions, count == 0 ? producers : count, rawRecords / (count == 0 ? producers : count), recordSize, batchBytes, idempotent);
        if (parts.Contains("raw"))
        {
            Console.WriteLine("the same with producers that send as the Java client does (5 requests in flight, all partitions in each) ...");
            Raw(idempotent: false);
            var raw = Enumerable.Range(0, rounds).Select(_ => (Plain: Raw(idempotent: false), Idempotent: Raw(idempotent: true))).ToList();
            rows.Add(($"{what}, Java-like raw producers ({batchBytes} B batches), plain (median of {raw.Count})", Rate(Median(raw.Select(r => r.Plain))), ""));
            rows.Add(($"{what}, Java-like raw producers ({batchBytes} B batches), idempotent (median of {raw.Count})", Rate(Median(raw.Select(r => r.Idempotent))),
                $"{Ratios(raw, r => r.Idempotent, r => r.Plain)} x plain (goal 0.95)"));
        }

        var counts = arguments.String("transactional-producers", "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        if (parts.Contains("transactions"))
        {
            Console.WriteLine($"transactions of {transactionRecords} records ...");
            plain = plain > 0 ? plain : Measure(Run(ProducerMode.Plain, records));
            mockPlain = mockPlain > 0 ? mockPlain : Measure(Run(ProducerMode.Plain, records, mock: true));
            var transactionalDefaults = Measure(Run(ProducerMode.Transactional, transactionalRecords));
            var transactional = Measure(Run(ProducerMode.Transactional, transactionalRecords) with { BackgroundPoll = false });
            var transactionalNoLinger = Measure(Run(ProducerMode.Transactional, transactionalRecords, lingerMs: 0) with { BackgroundPoll = false });
            rows.Add(($"{what}, transactions of {transactionRecords}, Confluent.Kafka defaults (background poll: 10 ms per commit)", Rate(transactionalDefaults), $"{transactionalDefaults / plain:F2} x plain"));
            rows.Add(($"{what}, transactions of {transactionRecords}, linger 5 ms", Rate(transactional), $"{transactional / plain:F2} x plain (goal 0.7)"));
            rows.Add(($"{what}, transactions of {transactionRecords}, linger 0", Rate(transactionalNoLinger), $"{transactionalNoLinger / plain:F2} x plain (goal 0.7)"));

            // A transactional producer waits for each commit, so more producers keep the broker busier: the same count of
            // plain producers is measured beside each count of transactional ones.
            foreach (var count in counts)
            {
                var plainRun = Run(ProducerMode.Plain, records) with { Producers = count, RecordsPerProducer = records / count };
                var transactionalRun = Run(ProducerMode.Transactional, transactionalRecords) with
                {
                    Producers = count, RecordsPerProducer = transactionalRecords / count, BackgroundPoll = false,
                };
                var broker = Enumerable.Range(0, rounds).Select(_ => (Plain: Measure(plainRun), Transactional: Measure(transactionalRun))).ToList();
                var mock = Enumerable.Range(0, rounds)
                    .Select(_ => (Plain: Measure(plainRun with { Mock = true }), Transactional: Measure(transactionalRun with { Mock = true }))).ToList();
                rows.Add(($"{count} producers, {recordSize} B, acks=all, transactions of {transactionRecords}, linger 5 ms (median of {rounds})",
                    Rate(Median(broker.Select(r => r.Transactional))),
                    $"{Ratios(broker, r => r.Transactional, r => r.Plain)} x {count} plain producers ({Rate(Median(broker.Select(r => r.Plain)))}, goal 0.7); " +
                    $"mock broker {Ratios(mock, r => r.Transactional, r => r.Plain)}"));
            }

            Console.WriteLine("the same against librdkafka's mock broker ...");
            var mockTransactional = Measure(Run(ProducerMode.Transactional, transactionalRecords, lingerMs: 0, mock: true) with { BackgroundPoll = false });
            rows.Add(($"mock broker: {what}, transactions of {transactionRecords}, linger 0", Rate(mockTransactional),
                $"{mockTransactional / mockPlain:F2} x mock plain: the client's own ceiling"));
        }

        // The broker's own cost of transactions: Java-like transactional producers against as many Java-like plain ones,
        // taking turns in each round.
        if (parts.Contains("raw-transactions"))
        {
            Console.WriteLine($"transactions of {transactionRecords} records from producers that send as the Java client does ...");
            foreach (var count in counts.Count > 0 ? counts : [producers])
            {
                double RawTransactional() => RawTransactionPerf.Run(port, topic, partitions, count, transactionalRecords / count, recordSize, transactionRecords);
                RawTransactional();
                var raw = Enumerable.Range(0, rounds).Select(_ => (Plain: Raw(idempotent: false, count), Transactional: RawTransactional())).ToList();
                rows.Add(($"{count} Java-like raw producers, {recordSize} B, acks=all, transactions of {transactionRecords} (median of {raw.Count})",
                    Rate(Median(raw.Select(r => r.Transactional))),
                    $"{Ratios(raw, r => r.Transactional, r => r.Plain)} x {count} raw plain producers ({Rate(Median(raw.Select(r => r.Plain)))}, " +
                        $"{batchBytes} B batches; goal 0.7)"));
            }
        }

        return rows;
    }

    /// <summary>One round: plain producers, plain ones limited to 5 requests in flight, idempotent ones (records/s).</summary>
    private sealed record Round(double Plain, double Capped, double Idempotent);

    private static IEnumerable<(string What, string Value, string Against)> IdempotenceRows(string what, List<Round> rounds)
    {
        yield return ($"{what}, plain (median of {rounds.Count})", Rate(Median(rounds.Select(r => r.Plain))), "");
        yield return ($"{what}, plain with 5 requests in flight (median of {rounds.Count})", Rate(Median(rounds.Select(r => r.Capped))), "");
        yield return ($"{what}, idempotent (median of {rounds.Count})", Rate(Median(rounds.Select(r => r.Idempotent))), "");
        yield return ($"{what}, idempotent / plain (goal 0.95)", "", Ratios(rounds, r => r.Idempotent, r => r.Plain));
        yield return ($"{what}, idempotent / plain with 5 in flight", "", Ratios(rounds, r => r.Idempotent, r => r.Capped));
    }

    /// <summary>The median of the rounds' ratios of <paramref name="measured"/> to <paramref name="against"/>, and each round's.</summary>
    private static string Ratios<T>(IReadOnlyList<T> rounds, Func<T, double> measured, Func<T, double> against) =>
        string.Create(CultureInfo.InvariantCulture, $"median of the rounds' ratios {Median(rounds.Select(r => measured(r) / against(r))):F2} " +
            $"(rounds {string.Join(" ", rounds.Select(r => (measured(r) / against(r)).ToString("F2", CultureInfo.InvariantCulture)))})");

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string Rate(double recordsPerSecond) => string.Create(CultureInfo.InvariantCulture, $"{recordsPerSecond:F0} records/s");
}

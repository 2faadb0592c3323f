using System.Globalization;

namespace Tributary.Tests.Perf.Groups;

/// <summary>
/// The consumer-group mode: how long a group takes to rebalance when a member joins (with bare protocol members and
/// with Confluent.Kafka consumers), beside a heartbeat's round trip, and the heartbeats per second one group sustains.
/// </summary>
internal static class GroupPerf
{
    public static async Task<List<(string What, string Value, string Against)>> RunAsync(string bootstrap, Arguments arguments)
    {
        var port = int.Parse(bootstrap[(bootstrap.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        var members = arguments.Int("members", 3);
        var rounds = arguments.Int("rounds", 5);
        var interval = TimeSpan.FromMilliseconds(arguments.Int("heartbeat-interval-ms", 100));
        var partitions = members * 2;
        var topic = $"rebalance-perf-{partitions}";
        await PerfTopics.EnsureAsync(bootstrap, topic, partitions);
        var rows = new List<(string, string, string)>();

        Console.WriteLine($"measuring rebalances of a {members}-member group ...");
        var roundTrip = RebalancePerf.HeartbeatRoundTripMs(port);
        var joinRoundTrip = RebalancePerf.JoinRoundTripMs(port);
        var raw = RebalancePerf.Measure(port, members, rounds, interval);
        var broker = raw.Select(s => s.TotalMs - s.NoticedMs).ToList();
        rows.Add(("heartbeat round trip, idle connection (median)", Ms(roundTrip), ""));
        rows.Add(("join round trip: JoinGroup + SyncGroup of a lone member (median)", Ms(joinRoundTrip), "includes the durable membership write"));
        rows.Add(($"rebalance, {members} protocol members, one joins (median / max of {rounds})", $"{Ms(Median(raw.Select(s => s.TotalMs)))} / {Ms(raw.Max(s => s.TotalMs))}",
            $"goal {Ms(interval.TotalMilliseconds + 2 * joinRoundTrip)}: heartbeat interval + 2 x join round trip"));
        rows.Add(("  of which the members noticing it on a heartbeat", Ms(Median(raw.Select(s => s.NoticedMs))), "the clients' own delay"));
        rows.Add(("  of which the rejoin and sync after the last notice", Ms(Median(broker)), $"{Median(broker) / joinRoundTrip:F2} x join round trip"));

        var librdkafka = LibrdkafkaRebalancePerf.Measure(bootstrap, topic, partitions, members, rounds, interval);
        rows.Add(($"rebalance, {members} Confluent.Kafka consumers, one subscribes (median / max)", $"{Ms(Median(librdkafka))} / {Ms(librdkafka.Max())}",
            $"heartbeat.interval.ms {interval.TotalMilliseconds:F0}"));

        var connections = arguments.Int("connections", 16);
        var inFlight = arguments.Int("in-flight", 8);
        Console.WriteLine($"heartbeating one group over {connections} connections ...");
        var heartbeats = HeartbeatPerf.Measure(port, members, connections, inFlight, TimeSpan.FromSeconds(arguments.Int("seconds", 5)));
        rows.Add(($"heartbeats to one group, {members} members, {connections} connections x {inFlight} in flight",
            string.Create(CultureInfo.InvariantCulture, $"{heartbeats:F0} /s"), "goal 10,000 /s"));
        return rows;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string Ms(double ms) => string.Create(CultureInfo.InvariantCulture, $"{ms:F2} ms");
}

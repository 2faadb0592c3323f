using System.Diagnostics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Perf.Groups;

/// <summary>One measured rebalance: from the new member's first JoinGroup until every member holds the new generation.</summary>
internal readonly record struct RebalanceSample(double TotalMs, double NoticedMs);

/// <summary>
/// The time a group takes to rebalance when a member joins, with members that speak the protocol themselves: the
/// existing members notice the rebalance on their next heartbeat (the clients' own delay), rejoin and sync at once.
/// </summary>
internal static class RebalancePerf
{
    public static List<RebalanceSample> Measure(int port, int members, int rounds, TimeSpan heartbeatInterval)
    {
        var samples = new List<RebalanceSample>();
        for (var round = 0; round < rounds; round++)
        {
            samples.Add(MeasureOnce(port, $"rebalance-perf-{Guid.NewGuid():N}", members, heartbeatInterval));
        }

        return samples;
    }

    /// <summary>The round trip of one heartbeat on an idle connection: the unit a rebalance's protocol steps cost.</summary>
    public static double HeartbeatRoundTripMs(int port) => MedianRoundTripMs(port, "round-trip", 500, member =>
    {
        if (member.Heartbeat() != 0)
        {
            throw new InvalidOperationException("A heartbeat of a stable member failed.");
        }
    });

    /// <summary>
    /// A member's join round trip: JoinGroup and SyncGroup of a lone member rejoining, which completes a rebalance of
    /// its own, including the durable write of the new membership before the leader is answered.
    /// </summary>
    public static double JoinRoundTripMs(int port) => MedianRoundTripMs(port, "join-round-trip", 100, member => member.JoinAndSync());

    private static double MedianRoundTripMs(int port, string group, int count, Action<RawGroupMember> call)
    {
        using var member = new RawGroupMember(port, $"{group}-{Guid.NewGuid():N}", "rebalance-perf", 6);
        member.JoinAndSync();
        var times = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            call(member);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return times.Order().ElementAt(times.Count / 2);
    }

    private static RebalanceSample MeasureOnce(int port, string group, int members, TimeSpan heartbeatInterval)
    {
        var existing = Enumerable.Range(0, members - 1).Select(_ => new RawGroupMember(port, group, "rebalance-perf", 6)).ToList();
        using var stop = new CancellationTokenSource();
        try
        {
            // The existing members form the group (after the broker's initial rebalance delay) and keep it.
            var loops = existing.Select(m => Task.Factory.StartNew(
                () =>
                {
                    m.JoinAndSync();
                    m.HeartbeatUntil(stop.Token, heartbeatInterval);
                },
                TaskCreationOptions.LongRunning)).ToList();
            WaitStable(port, group, existing);

            using var joiner = new RawGroupMember(port, group, "rebalance-perf", 6);
            var start = Stopwatch.GetTimestamp();
            joiner.JoinAndSync();
            var all = existing.Append(joiner).ToList();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (all.Any(m => m.LastSynced.Generation != joiner.Generation))
            {
                if (DateTime.UtcNow > deadline || loops.FirstOrDefault(l => l.IsFaulted) is { } failed)
                {
                    throw new TimeoutException("The group did not settle on one generation.", loops.FirstOrDefault(l => l.IsFaulted)?.Exception);
                }

                Thread.Sleep(1);
            }

            var done = all.Max(m => m.LastSynced.Timestamp);
            var noticed = existing.Max(m => m.RebalanceNoticedAt);
            stop.Cancel();
            Task.WaitAll(loops);
            return new RebalanceSample(Stopwatch.GetElapsedTime(start, done).TotalMilliseconds, Stopwatch.GetElapsedTime(start, noticed).TotalMilliseconds);
        }
        finally
        {
            stop.Cancel();
            foreach (var m in existing)
            {
                m.Dispose();
            }
        }
    }

    private static void WaitStable(int port, string group, List<RawGroupMember> members)
    {
        using var client = new RawKafkaClient(port);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var described = client.Call<DescribeGroupsResponse>(ApiKey.DescribeGroups, 5, new DescribeGroupsRequest { Groups = [group] }).Groups.Single();
            var generations = members.Select(m => m.LastSynced.Generation).Distinct().ToList();
            if (described.GroupState == "Stable" && described.Members.Count == members.Count && generations.Count == 1)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The group stayed {described.GroupState}.");
            }

            Thread.Sleep(10);
        }
    }
}

using System.Diagnostics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Perf.Groups;

/// <summary>
/// Heartbeats per second one group's grain answers: the members of one stable group, heartbeating over many
/// connections with several requests in flight on each, as fast as answers come back.
/// </summary>
internal static class HeartbeatPerf
{
    public static double Measure(int port, int members, int connections, int inFlight, TimeSpan duration)
    {
        var group = $"heartbeat-perf-{Guid.NewGuid():N}";
        var joined = Enumerable.Range(0, members).Select(_ => new RawGroupMember(port, group, "heartbeat-perf", 6)).ToList();
        try
        {
            RawGroupMember.JoinAll(joined);
            if (joined.Select(m => m.Generation).Distinct().Count() != 1)
            {
                throw new InvalidOperationException("The members did not settle on one generation.");
            }

            long answered = 0;
            using var stop = new CancellationTokenSource();
            var senders = Enumerable.Range(0, connections).Select(c => Task.Factory.StartNew(
                () =>
                {
                    using var client = new RawKafkaClient(port);
                    var frames = Enumerable.Repeat(RawKafkaClient.Frame(ApiKey.Heartbeat, 4, c, joined[c % members].HeartbeatRequest()), inFlight)
                        .SelectMany(f => f).ToArray();
                    while (!stop.IsCancellationRequested)
                    {
                        client.SendRaw(frames);
                        for (var i = 0; i < inFlight; i++)
                        {
                            var (_, response) = client.Receive<HeartbeatResponse>(ApiKey.Heartbeat, 4);
                            if (response.ErrorCode != 0)
                            {
                                throw new InvalidOperationException($"A heartbeat failed with Kafka error {response.ErrorCode}.");
                            }
                        }

                        Interlocked.Add(ref answered, inFlight);
                    }
                },
                TaskCreationOptions.LongRunning)).ToList();

            // A second of warm-up (connections, JIT, tiered compilation), then the measured interval.
            Thread.Sleep(1000);
            var startCount = Interlocked.Read(ref answered);
            var start = Stopwatch.GetTimestamp();
            Thread.Sleep(duration);
            var count = Interlocked.Read(ref answered) - startCount;
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            stop.Cancel();
            Task.WaitAll(senders);
            return count / seconds;
        }
        finally
        {
            foreach (var m in joined)
            {
                m.Dispose();
            }
        }
    }
}

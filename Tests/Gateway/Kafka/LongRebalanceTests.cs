using System.Collections.Concurrent;
using System.Diagnostics;
using Confluent.Kafka;
using Tributary.Grains.Interfaces.Groups;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// A rebalance that takes longer than a grain call's default timeout (30 s) but less than the group's rebalance
/// timeout: the joining consumer's JoinGroup waits for it, on an open connection, and both consumers end with their
/// share. One long test (about 45 s), with Confluent.Kafka on both sides.
/// </summary>
public sealed class LongRebalanceTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private const string Topic = "slow-rebalance";
    private const string Group = "slow-rebalance-group";

    private IConsumer<string, string> Consumer(string name, ConcurrentBag<string> errors, Action<ConsumerConfig>? configure = null)
    {
        var config = new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = Group,
            ClientId = name,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            HeartbeatIntervalMs = 1000,
        };
        configure?.Invoke(config);

        // With these handlers the application serves each rebalance in its Consume calls: a consumer that does not
        // poll does not rejoin.
        return new ConsumerBuilder<string, string>(config)
            .SetPartitionsAssignedHandler((_, _) => { })
            .SetPartitionsRevokedHandler((_, _) => { })
            .SetErrorHandler((_, e) => errors.Add($"{name}: {e.Code} {e.Reason}"))

            // A connection the broker resets is logged (FAIL), not raised as an error: librdkafka reconnects and joins again.
            .SetLogHandler((_, m) =>
            {
                if (m.Facility == "FAIL")
                {
                    errors.Add($"{name}: {m.Message}");
                }
            })
            .Build();
    }

    private static void PollUntil(IConsumer<string, string> consumer, Func<bool> done, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!done() && clock.Elapsed < limit)
        {
            consumer.Consume(TimeSpan.FromMilliseconds(100));
        }
    }

    [Fact]
    public async Task ASecondConsumersJoin_WaitsOutAFirstConsumerSlowToRejoin_AndBothEndWithAnAssignment()
    {
        await broker.CreateAsync(Topic, 2);
        var errors = new ConcurrentBag<string>();

        // The first consumer may go 60 s between polls (its rebalance timeout); its session outlasts the pause too.
        using var slow = Consumer("slow", errors, c => { c.MaxPollIntervalMs = 60_000; c.SessionTimeoutMs = 60_000; });
        slow.Subscribe(Topic);
        PollUntil(slow, () => slow.Assignment.Count == 2, TimeSpan.FromSeconds(30));
        Assert.Equal(2, slow.Assignment.Count);

        using var second = Consumer("second", errors);
        second.Subscribe(Topic);
        var joining = Stopwatch.StartNew();
        var secondPolling = Task.Run(() => PollUntil(second, () => second.Assignment.Count > 0, TimeSpan.FromSeconds(90)));

        // The rebalance starts with the second consumer's join; the first stays away from Consume for 40 s.
        var group = broker.Grains.GetGrain<IConsumerGroupGrain>(Group);
        await Wait.UntilAsync(async () => (await group.DescribeAsync()).State == "PreparingRebalance", TimeSpan.FromSeconds(30), "the rebalance started");
        await Task.Delay(TimeSpan.FromSeconds(40) - joining.Elapsed);
        Assert.False(secondPolling.IsCompleted, "the second consumer got an assignment before the first rejoined");
        PollUntil(slow, () => slow.Assignment.Count == 1, TimeSpan.FromSeconds(30));
        await secondPolling.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.InRange(joining.Elapsed, TimeSpan.FromSeconds(35), TimeSpan.FromSeconds(90));
        Assert.Equal((1, 1), (slow.Assignment.Count, second.Assignment.Count));
        Assert.Empty(errors);
        var description = await group.DescribeAsync();
        Assert.Equal(("Stable", 2), (description.State, description.Members.Count));
    }
}

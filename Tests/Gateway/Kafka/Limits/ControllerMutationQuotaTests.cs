using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;
using KafkaError = Tributary.Grains.KafkaFormats.ErrorCode;

namespace Tributary.Tests.Gateway.Kafka.Limits;

/// <summary>A broker whose clients may each create or delete 10 partitions a second (bursts of 110).</summary>
public sealed class MutationQuotaBroker : LimitsBroker
{
    public const int Rate = 10;

    protected override IReadOnlyList<string> Limits =>
        ["--Tributary:Kafka:ControllerMutationRate", Rate.ToString(System.Globalization.CultureInfo.InvariantCulture)];
}

/// <summary>
/// Kafka's controller mutation quota: a client that has spent its partitions is told to wait (throttle_time_ms) and its
/// next mutation is refused with THROTTLING_QUOTA_EXCEEDED until the bucket refills, while other clients, and a producer,
/// are served as usual.
/// </summary>
public sealed class ControllerMutationQuotaTests(MutationQuotaBroker broker) : IClassFixture<MutationQuotaBroker>
{
    private static CreateTopicsResponse Create(RawKafkaClient client, string name, int partitions) =>
        client.Call<CreateTopicsResponse>(ApiKey.CreateTopics, 7, new CreateTopicsRequest
        {
            timeoutMs = 5000,
            Topics = [new() { Name = name, NumPartitions = partitions, ReplicationFactor = 1 }],
        });

    [Fact]
    public async Task AClientPastItsMutationRate_IsThrottled_ThenRefused_WhileOtherClientsAreServed()
    {
        await using var steady = await WellBehavedProducer.StartAsync(broker.BootstrapServers, LimitsBroker.SteadyTopic);
        using var greedy = new RawKafkaClient(broker.KafkaPort, "greedy");
        using var polite = new RawKafkaClient(broker.KafkaPort, "polite");

        // The burst (110) takes a large creation and the start of the next, which leaves the bucket 50 below zero: the
        // client is told to wait about 5 s, and the 10 partitions a second that come back meanwhile do not clear it.
        var first = Create(greedy, "quota-a", 100);
        var second = Create(greedy, "quota-b", 60);
        // The throttled connection is muted for its throttle time, as Kafka mutes it: the same client id asks again over
        // another connection, where the quota (per client id, not per connection) still refuses it.
        using var greedyAgain = new RawKafkaClient(broker.KafkaPort, "greedy");
        var third = Create(greedyAgain, "quota-c", 1);
        var other = Create(polite, "quota-d", 1);

        Assert.Equal((short)KafkaError.None, Assert.Single(first.Topics).ErrorCode);
        Assert.Equal(0, first.ThrottleTimeMs);
        Assert.Equal((short)KafkaError.None, Assert.Single(second.Topics).ErrorCode);
        Assert.InRange(second.ThrottleTimeMs, 1_000, 5_000);
        var refused = Assert.Single(third.Topics);
        Assert.Equal((short)KafkaError.ThrottlingQuotaExceeded, refused.ErrorCode);
        Assert.Equal("The throttling quota has been exceeded.", refused.ErrorMessage);
        Assert.InRange(third.ThrottleTimeMs, 1, 5_000);
        Assert.Equal((short)KafkaError.None, Assert.Single(other.Topics).ErrorCode);
        Assert.Equal(0, other.ThrottleTimeMs);

        // Once the bucket is back above zero, the client may mutate again.
        await Task.Delay(third.ThrottleTimeMs + 200);
        Assert.Equal((short)KafkaError.None, Assert.Single(Create(greedyAgain, "quota-e", 1).Topics).ErrorCode);
        await steady.AssertServedAsync(LimitsBroker.ServedP99);
    }

    [Fact]
    public async Task DeleteTopics_CountsThePartitionsDeleted_AgainstTheQuota()
    {
        await using var steady = await WellBehavedProducer.StartAsync(broker.BootstrapServers, LimitsBroker.SteadyTopic);
        await broker.CreateAsync("quota-doomed-1", 150);
        await broker.CreateAsync("quota-doomed-2", 1);
        using var deleter = new RawKafkaClient(broker.KafkaPort, "deleter");

        // A new connection for the second deletion: the first one is muted while its client is throttled.
        using var deleterAgain = new RawKafkaClient(broker.KafkaPort, "deleter");

        static DeleteTopicsResponse Delete(RawKafkaClient client, string name) => client.Call<DeleteTopicsResponse>(ApiKey.DeleteTopics, 6, new DeleteTopicsRequest
        {
            TimeoutMs = 5000,
            Topics = [new() { Name = name }],
        });

        var first = Delete(deleter, "quota-doomed-1");
        var second = Delete(deleterAgain, "quota-doomed-2");

        Assert.Equal((short)KafkaError.None, Assert.Single(first.Responses).ErrorCode);
        Assert.InRange(first.ThrottleTimeMs, 1, 4_000);
        Assert.Equal((short)KafkaError.ThrottlingQuotaExceeded, Assert.Single(second.Responses).ErrorCode);
        Assert.True(second.ThrottleTimeMs > 0);
        await steady.AssertServedAsync(LimitsBroker.ServedP99);
    }
}

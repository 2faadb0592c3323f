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

        // The burst (110) takes one large creation, which leaves the bucket below zero: the client is told to wait.
        var first = Create(greedy, "quota-a", 100);
        var second = Create(greedy, "quota-b", 15);
        var third = Create(greedy, "quota-c", 1);
        var other = Create(polite, "quota-d", 1);

        Assert.Equal((short)KafkaError.None, Assert.Single(first.Topics).ErrorCode);
        Assert.Equal(0, first.ThrottleTimeMs);
        Assert.Equal((short)KafkaError.None, Assert.Single(second.Topics).ErrorCode);
        Assert.InRange(second.ThrottleTimeMs, 100, 500);
        var refused = Assert.Single(third.Topics);
        Assert.Equal((short)KafkaError.ThrottlingQuotaExceeded, refused.ErrorCode);
        Assert.Equal("The throttling quota has been exceeded.", refused.ErrorMessage);
        Assert.InRange(third.ThrottleTimeMs, 1, 500);
        Assert.Equal((short)KafkaError.None, Assert.Single(other.Topics).ErrorCode);
        Assert.Equal(0, other.ThrottleTimeMs);

        // Once the bucket is back above zero, the client may mutate again.
        await Task.Delay(third.ThrottleTimeMs + 200);
        Assert.Equal((short)KafkaError.None, Assert.Single(Create(greedy, "quota-e", 1).Topics).ErrorCode);
        await steady.AssertServedAsync(LimitsBroker.ServedP99);
    }

    [Fact]
    public async Task DeleteTopics_CountsThePartitionsDeleted_AgainstTheQuota()
    {
        await using var steady = await WellBehavedProducer.StartAsync(broker.BootstrapServers, LimitsBroker.SteadyTopic);
        await broker.CreateAsync("quota-doomed-1", 120);
        await broker.CreateAsync("quota-doomed-2", 1);
        using var deleter = new RawKafkaClient(broker.KafkaPort, "deleter");

        DeleteTopicsResponse Delete(string name) => deleter.Call<DeleteTopicsResponse>(ApiKey.DeleteTopics, 6, new DeleteTopicsRequest
        {
            TimeoutMs = 5000,
            Topics = [new() { Name = name }],
        });

        var first = Delete("quota-doomed-1");
        var second = Delete("quota-doomed-2");

        Assert.Equal((short)KafkaError.None, Assert.Single(first.Responses).ErrorCode);
        Assert.True(first.ThrottleTimeMs > 0, "120 partitions deleted out of a burst of 110 leave the client throttled");
        Assert.Equal((short)KafkaError.ThrottlingQuotaExceeded, Assert.Single(second.Responses).ErrorCode);
        Assert.True(second.ThrottleTimeMs > 0);
        await steady.AssertServedAsync(LimitsBroker.ServedP99);
    }
}

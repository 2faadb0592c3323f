using System.Diagnostics;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// A closed static consumer stays in its group (it sends no LeaveGroup, as Kafka's static members do not) until its
/// session ends, and not a moment longer: the group applies deadlines before answering, so however late its timer runs
/// (here, an hour), DeleteGroups finds the group empty once the session has passed.
/// </summary>
public sealed class StaticMemberExpiryTests(HourlyGroupTimerBroker broker) : IClassFixture<HourlyGroupTimerBroker>
{
    private const int SessionTimeoutMs = 3000;

    [Fact]
    public async Task AClosedStaticConsumer_KeepsTheGroupUntilItsSessionEnds_ThenTheGroupCanBeDeleted()
    {
        await broker.CreateAsync("static-expiry", 2);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        using (var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig
               {
                   BootstrapServers = broker.BootstrapServers,
                   GroupId = "static-expiry-group",
                   GroupInstanceId = "static-expiry-1",
                   SessionTimeoutMs = SessionTimeoutMs,
                   HeartbeatIntervalMs = 500,
                   AutoOffsetReset = AutoOffsetReset.Earliest,
               }).Build())
        {
            consumer.Subscribe("static-expiry");
            var joining = Stopwatch.StartNew();
            while (consumer.Assignment.Count < 2 && joining.Elapsed < TimeSpan.FromSeconds(30))
            {
                consumer.Consume(TimeSpan.FromMilliseconds(100));
            }

            Assert.Equal(2, consumer.Assignment.Count);
            consumer.Commit([new TopicPartitionOffset("static-expiry", 0, 0)]);
            consumer.Close();
        }

        // Its last heartbeat or commit came before Close returned: the session ends within SessionTimeoutMs from here.
        var closed = Stopwatch.StartNew();
        var early = await Assert.ThrowsAsync<DeleteGroupsException>(() => admin.DeleteGroupsAsync(["static-expiry-group"]));
        Assert.Equal(ErrorCode.NonEmptyGroup, Assert.Single(early.Results).Error.Code);
        await Task.Delay(TimeSpan.FromMilliseconds(SessionTimeoutMs + 100) - closed.Elapsed);

        await admin.DeleteGroupsAsync(["static-expiry-group"]);

        var listed = await admin.ListConsumerGroupsAsync();
        Assert.DoesNotContain(listed.Valid, g => g.GroupId == "static-expiry-group");
    }
}

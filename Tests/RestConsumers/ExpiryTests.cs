using Tributary.Grains.KafkaFormats;
using Tributary.Grains.RestConsumers;
using static Tributary.Tests.RestConsumers.Consumers;

namespace Tributary.Tests.RestConsumers;

public sealed class ExpiryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    [Fact]
    public void AnInstance_ExpiresOnceIdleForLongerThanItsTimeout()
    {
        var time = Clock();
        var consumer = Created(time);

        time.Advance(Timeout);
        Assert.False(consumer.IsExpired(Timeout));

        time.Advance(Tick);
        Assert.True(consumer.IsExpired(Timeout));
    }

    [Fact]
    public void EveryRequest_StartsTheIdleTimeAgain_EvenOneRefused()
    {
        var time = Clock();
        var consumer = Created(time);
        consumer.Assign([P("t", 0)]);
        Action[] requests =
        [
            () => consumer.GetConfig(),
            () => consumer.BeginRequest(),
            () => consumer.GetAssignment(),
            () => consumer.GetSubscription(),
            () => consumer.Seek([At("t", 0, 1)]),
            () => consumer.BeginSeekTo([P("t", 0)]),
            () => consumer.Commit(null),
            () => consumer.Subscribe(["t"], null),
            () => consumer.Assign([P("t", 0)]),
        ];

        foreach (var request in requests)
        {
            time.Advance(Timeout);
            request();
            time.Advance(Timeout);
            Assert.False(consumer.IsExpired(Timeout));
        }
    }

    [Fact]
    public void TheMembership_IsNoUseOfTheInstance()
    {
        var time = Clock();
        var consumer = Created(time, autoCommit: true);
        consumer.Subscribe(["t"], null);
        var beat = NextHeartbeat(consumer, JoinAlone(consumer, new Dictionary<string, int> { ["t"] = 1 }));
        consumer.Seek([At("t", 0, 1)]);

        time.Advance(Timeout + Tick);
        var commit = Assert.IsType<MembershipStep.Commit>(consumer.HeartbeatAnswered(beat, ErrorCode.RebalanceInProgress));
        consumer.RebalanceCommitted(commit);

        Assert.True(consumer.IsExpired(Timeout));
    }

    [Fact]
    public void AnInstanceNeverCreated_OrClosed_DoesNotExpire()
    {
        var time = Clock();
        var never = new RestConsumer(Options, time);
        var closed = Created(time);
        closed.Close();

        time.Advance(Timeout * 2);

        Assert.False(never.IsExpired(Timeout));
        Assert.False(closed.IsExpired(Timeout));
    }
}

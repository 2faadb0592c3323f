using Tributary.Gateway.Kafka.Partitions;
using Tributary.Grains.Interfaces.Partitions;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// A produce that reaches a partition grain still answering from where its leadership left, naming this broker as
/// the leader, is sent again until the leadership has arrived (within its budget); a refusal naming another broker is
/// answered at once, so that the client goes there.
/// </summary>
public sealed class LeadershipArrivalTests
{
    private const int ThisBroker = 4;

    [Fact]
    public async Task ACallRefusedForALeadershipArrivingHere_IsMadeAgain_UntilItIsTaken()
    {
        var calls = 0;
        var result = await LeadershipArrival.CallAsync(
            () => ++calls < 3 ? throw new BrokerNotAvailableException("t", 0, ThisBroker) : Task.FromResult(7), ThisBroker, TimeSpan.FromSeconds(5));

        Assert.Equal((7, 3), (result, calls));
    }

    [Fact]
    public async Task ACallRefusedForAnotherBroker_IsAnsweredAtOnce()
    {
        var calls = 0;
        await Assert.ThrowsAsync<BrokerNotAvailableException>(() => LeadershipArrival.CallAsync(
            () => { calls++; return Task.FromException<int>(new BrokerNotAvailableException("t", 0, 2)); }, ThisBroker, TimeSpan.FromSeconds(5)));

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task ALeadershipThatDoesNotArrive_IsRefusedOnceTheBudgetIsSpent()
    {
        var calls = 0;
        await Assert.ThrowsAsync<BrokerNotAvailableException>(() => LeadershipArrival.CallAsync(
            () => { calls++; return Task.FromException<int>(new BrokerNotAvailableException("t", 0, ThisBroker)); }, ThisBroker, TimeSpan.FromMilliseconds(200)));

        Assert.InRange(calls, 2, 10);
    }
}

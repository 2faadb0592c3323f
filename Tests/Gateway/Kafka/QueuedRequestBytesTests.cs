using Tributary.Gateway.Kafka;

namespace Tributary.Tests.Gateway.Kafka;

/// <summary>
/// The silo's budget of queued request bytes (Kafka's <c>queued.max.request.bytes</c>), alone: who is admitted, who
/// waits, in which order, and that nothing is lost or held forever.
/// </summary>
public sealed class QueuedRequestBytesTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ARequest_IsAdmittedWhileLessThanTheBudgetIsHeld_EvenPastIt_AndTheNextWaits()
    {
        var budget = new QueuedRequestBytes(100);

        await budget.ReserveAsync(60, CancellationToken.None);
        await budget.ReserveAsync(60, CancellationToken.None);
        var third = budget.ReserveAsync(10, CancellationToken.None).AsTask();

        Assert.Equal(120, budget.Held);
        Assert.Equal(1, budget.Waiting);
        Assert.False(third.IsCompleted);

        budget.Release(60);
        await third.WaitAsync(Patience);
        Assert.Equal((70L, 0), (budget.Held, budget.Waiting));
        Assert.Equal(120, budget.PeakHeld);
    }

    [Fact]
    public async Task ARequestLargerThanTheWholeBudget_IsAdmitted_WhenNothingIsHeld()
    {
        var budget = new QueuedRequestBytes(100);

        await budget.ReserveAsync(5_000, CancellationToken.None).AsTask().WaitAsync(Patience);

        Assert.Equal(5_000, budget.Held);
        budget.Release(5_000);
        Assert.Equal(0, budget.Held);
    }

    [Fact]
    public async Task WaitingRequests_AreAdmittedInTheOrderTheyAsked_WhateverTheirSize()
    {
        var budget = new QueuedRequestBytes(100);
        await budget.ReserveAsync(100, CancellationToken.None);
        var large = budget.ReserveAsync(500, CancellationToken.None).AsTask();
        var small = budget.ReserveAsync(1, CancellationToken.None).AsTask();
        Assert.Equal(2, budget.Waiting);

        budget.Release(100);
        await large.WaitAsync(Patience);
        Assert.Equal((500L, 1), (budget.Held, budget.Waiting));
        Assert.False(small.IsCompleted);

        budget.Release(500);
        await small.WaitAsync(Patience);
        Assert.Equal((1L, 0), (budget.Held, budget.Waiting));
        Assert.Equal(500, budget.LargestRequest);
    }

    [Fact]
    public async Task AWaitThatIsCancelled_TakesNothing_AndTheNextInLineIsServed()
    {
        var budget = new QueuedRequestBytes(100);
        await budget.ReserveAsync(100, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = budget.ReserveAsync(10, cancel.Token).AsTask();
        var next = budget.ReserveAsync(20, CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Patience));
        Assert.Equal((100L, 1), (budget.Held, budget.Waiting));

        budget.Release(100);
        await next.WaitAsync(Patience);
        Assert.Equal(20, budget.Held);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task ABudgetOfZeroOrLess_IsNoLimit(long limit)
    {
        var budget = new QueuedRequestBytes(limit);

        for (var i = 0; i < 100; i++)
        {
            await budget.ReserveAsync(100 * 1024 * 1024, CancellationToken.None).AsTask().WaitAsync(Patience);
        }

        Assert.Equal(100L * 100 * 1024 * 1024, budget.Held);
        Assert.Equal(0, budget.Waits);
    }
}

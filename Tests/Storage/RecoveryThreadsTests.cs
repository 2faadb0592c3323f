using Tributary.Grains.Storage;

namespace Tributary.Tests.Storage;

public sealed class RecoveryThreadsTests
{
    [Fact]
    public async Task NoMoreWorkRunsAtOnceThanThereAreThreads()
    {
        using var threads = new RecoveryThreads(2, "test");
        using var gate = new ManualResetEventSlim();
        var running = 0;
        var most = 0;
        var bothRunning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var work = Enumerable.Range(0, 8).Select(_ => threads.RunAsync(() =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            if (now == 2)
            {
                bothRunning.TrySetResult();
            }

            gate.Wait();
            Interlocked.Decrement(ref running);
            return 0;
        }, urgent: false)).ToList();

        await bothRunning.Task;
        gate.Set();
        await Task.WhenAll(work);

        Assert.Equal(2, most);
    }

    [Fact]
    public async Task UrgentWork_RunsBeforeBackgroundWorkQueuedEarlier()
    {
        using var threads = new RecoveryThreads(1, "test");
        using var gate = new ManualResetEventSlim();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var order = new List<string>();
        var blocker = threads.RunAsync(() =>
        {
            started.SetResult();
            gate.Wait();
            return 0;
        }, urgent: false);
        await started.Task;

        var queued = new[]
        {
            threads.RunAsync(() => Record(order, "background 1"), urgent: false),
            threads.RunAsync(() => Record(order, "background 2"), urgent: false),
            threads.RunAsync(() => Record(order, "urgent"), urgent: true),
        };
        gate.Set();
        await Task.WhenAll(queued.Append(blocker));

        Assert.Equal(["urgent", "background 1", "background 2"], order);
    }

    [Fact]
    public async Task Dispose_LetsRunningWorkFinish_AndCancelsWhatIsQueued()
    {
        var threads = new RecoveryThreads(1, "test");
        using var gate = new ManualResetEventSlim();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = threads.RunAsync(() =>
        {
            started.SetResult();
            gate.Wait();
            return 1;
        }, urgent: false);
        await started.Task;
        var queued = threads.RunAsync(() => 2, urgent: false);

        var disposing = Task.Run(threads.Dispose);
        await Assert.ThrowsAsync<TaskCanceledException>(() => queued);
        gate.Set();
        await disposing;

        Assert.Equal(1, await running);
        await Assert.ThrowsAsync<TaskCanceledException>(() => threads.RunAsync(() => 3, urgent: true));
    }

    private static int Record(List<string> order, string what)
    {
        lock (order)
        {
            order.Add(what);
        }

        return 0;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}

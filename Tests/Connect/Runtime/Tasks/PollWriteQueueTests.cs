using Tributary.Grains.Connect.Runtime.Tasks;

namespace Tributary.Tests.Connect.Runtime.Tasks;

public sealed class PollWriteQueueTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task PollsQueuedWhileAWriteRuns_AreWrittenTogether_InTheOrderQueued()
    {
        var writer = new GatedWriter();
        var queue = new PollWriteQueue<string>(writer.WriteAsync, maxQueuedRecords: 1000);

        await queue.EnqueueAsync("p1", 1, CancellationToken.None);
        await writer.Started.WaitAsync(Wait); // p1's write is under way and held
        await queue.EnqueueAsync("p2", 1, CancellationToken.None);
        await queue.EnqueueAsync("p3", 1, CancellationToken.None);
        writer.Release();
        await queue.WrittenAsync().WaitAsync(Wait);

        Assert.Equal([["p1"], ["p2", "p3"]], writer.Writes);
        Assert.False(queue.Failed);
    }

    [Fact]
    public async Task AFullQueue_HoldsTheNextPoll_UntilTheWriterTakesIt()
    {
        var writer = new GatedWriter();
        var queue = new PollWriteQueue<string>(writer.WriteAsync, maxQueuedRecords: 10);

        await queue.EnqueueAsync("p1", 10, CancellationToken.None);
        await writer.Started.WaitAsync(Wait);
        await queue.EnqueueAsync("p2", 6, CancellationToken.None); // 6 of 10 queued: room left
        var full = queue.EnqueueAsync("p3", 6, CancellationToken.None); // 12 queued: waits for the writer
        await Task.Delay(100);
        Assert.False(full.IsCompleted);

        writer.Release();
        await full.WaitAsync(Wait);
        await queue.WrittenAsync().WaitAsync(Wait);
        Assert.Equal([["p1"], ["p2", "p3"]], writer.Writes);
    }

    [Fact]
    public async Task AFailedWrite_FailsTheQueue_AndNothingQueuedAfterItIsWritten()
    {
        var writer = new GatedWriter { FailOn = "p2" };
        var queue = new PollWriteQueue<string>(writer.WriteAsync, maxQueuedRecords: 2);

        await queue.EnqueueAsync("p1", 1, CancellationToken.None);
        await writer.Started.WaitAsync(Wait);
        await queue.EnqueueAsync("p2", 1, CancellationToken.None);
        var waiting = queue.EnqueueAsync("p3", 1, CancellationToken.None); // full: waits for the writer
        writer.Release(); // p1 written; then p2 and p3, taken together, fail
        var failure = await Assert.ThrowsAsync<IOException>(() => queue.WrittenAsync().WaitAsync(Wait));

        Assert.Equal("cannot write p2", failure.Message);
        Assert.True(queue.Failed);
        await waiting.WaitAsync(Wait); // the writer took p3 before it failed: the poll did not wait in vain
        await Assert.ThrowsAsync<IOException>(() => queue.EnqueueAsync("p4", 1, CancellationToken.None));
        Assert.Equal([["p1"]], writer.Writes);
    }

    /// <summary>Records each write's polls; the first write waits until released.</summary>
    private sealed class GatedWriter
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<List<string>> _writes = [];

        public string? FailOn { get; init; }

        public Task Started => _started.Task;

        public List<List<string>> Writes
        {
            get
            {
                lock (_writes)
                {
                    return [.. _writes];
                }
            }
        }

        public void Release() => _released.TrySetResult();

        public async Task WriteAsync(IReadOnlyList<string> polls, CancellationToken cancellationToken)
        {
            _started.TrySetResult();
            await _released.Task;
            if (FailOn is { } failing && polls.Contains(failing))
            {
                throw new IOException("cannot write " + failing);
            }

            lock (_writes)
            {
                _writes.Add([.. polls]);
            }
        }
    }
}

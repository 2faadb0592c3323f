using System.Collections.Concurrent;
using Tributary.Grains.Connect.Runtime.Tasks;

namespace Tributary.Tests.Connect.Runtime.Tasks;

public sealed class PollWriteQueueTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task PollsQueuedWhileAWriteRuns_ArePreparedBesideIt_AndWrittenAfterIt_InTheOrderQueued()
    {
        var writer = new GatedWriter();
        var queue = new PollWriteQueue<string, IReadOnlyList<string>>(writer.PrepareAsync, writer.WriteAsync, maxQueuedRecords: 1000);

        await queue.EnqueueAsync("p1", 1, CancellationToken.None);
        await writer.Started.WaitAsync(Wait); // p1's write is under way and held
        await queue.EnqueueAsync("p2", 1, CancellationToken.None);
        await writer.Prepared("p2").WaitAsync(Wait); // converted while p1 is still being written
        Assert.Empty(writer.Writes);
        await queue.EnqueueAsync("p3", 1, CancellationToken.None);
        writer.Release();
        await queue.WrittenAsync().WaitAsync(Wait);

        Assert.Equal(["p1", "p2", "p3"], writer.Writes.SelectMany(w => w));
        Assert.Equal(["p1"], writer.Writes[0]);
        Assert.False(queue.Failed);
    }

    [Fact]
    public async Task AWriteUnderWay_WhenPreparingTheNextPollsFails_IsSettledBeforeTheQueueFails()
    {
        var writer = new GatedWriter { FailPreparing = "p2" };
        var queue = new PollWriteQueue<string, IReadOnlyList<string>>(writer.PrepareAsync, writer.WriteAsync, maxQueuedRecords: 1000);

        await queue.EnqueueAsync("p1", 1, CancellationToken.None);
        await writer.Started.WaitAsync(Wait);
        await queue.EnqueueAsync("p2", 1, CancellationToken.None);
        await writer.Prepared("p2").WaitAsync(Wait);
        await Task.Delay(100);
        Assert.False(queue.Failed); // p1 is still being written: the writer has not ended beside it

        writer.Release();
        var failure = await Assert.ThrowsAsync<InvalidDataException>(() => queue.WrittenAsync().WaitAsync(Wait));
        Assert.Equal("cannot convert p2", failure.Message);
        Assert.Equal([["p1"]], writer.Writes);
    }

    [Fact]
    public async Task AFullQueue_HoldsTheNextPoll_UntilTheWriterTakesIt()
    {
        var writer = new GatedWriter();
        var queue = new PollWriteQueue<string, IReadOnlyList<string>>(writer.PrepareAsync, writer.WriteAsync, maxQueuedRecords: 10);

        await queue.EnqueueAsync("p1", 10, CancellationToken.None);
        await writer.Started.WaitAsync(Wait);
        await queue.EnqueueAsync("p2", 6, CancellationToken.None);
        await writer.Prepared("p2").WaitAsync(Wait); // taken and prepared; the writer now waits for p1's write
        await queue.EnqueueAsync("p3", 6, CancellationToken.None); // 6 of 10 queued: room left
        var full = queue.EnqueueAsync("p4", 6, CancellationToken.None); // 12 queued: waits for the writer
        await Task.Delay(100);
        Assert.False(full.IsCompleted);

        writer.Release();
        await full.WaitAsync(Wait);
        await queue.WrittenAsync().WaitAsync(Wait);
        Assert.Equal([["p1"], ["p2"], ["p3", "p4"]], writer.Writes);
    }

    [Fact]
    public async Task AFailedWrite_FailsTheQueue_AndNothingQueuedAfterItIsWritten()
    {
        var writer = new GatedWriter { FailOn = "p2" };
        var queue = new PollWriteQueue<string, IReadOnlyList<string>>(writer.PrepareAsync, writer.WriteAsync, maxQueuedRecords: 2);

        await queue.EnqueueAsync("p1", 1, CancellationToken.None);
        await writer.Started.WaitAsync(Wait);
        await queue.EnqueueAsync("p2", 1, CancellationToken.None);
        await writer.Prepared("p2").WaitAsync(Wait); // p2 waits to be written after p1
        await queue.EnqueueAsync("p3", 1, CancellationToken.None);
        var waiting = queue.EnqueueAsync("p4", 1, CancellationToken.None); // full: waits for the writer
        writer.Release(); // p1 written; p2's write fails while p3 and p4 are prepared beside it
        var failure = await Assert.ThrowsAsync<IOException>(() => queue.WrittenAsync().WaitAsync(Wait));

        Assert.Equal("cannot write p2", failure.Message);
        Assert.True(queue.Failed);
        await waiting.WaitAsync(Wait); // the writer took p4 before it failed: the poll did not wait in vain
        await Assert.ThrowsAsync<IOException>(() => queue.EnqueueAsync("p5", 1, CancellationToken.None));
        Assert.Equal([["p1"]], writer.Writes);
    }

    /// <summary>Records each write's polls; the first write waits until released.</summary>
    private sealed class GatedWriter
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<List<string>> _writes = [];
        private readonly ConcurrentDictionary<string, TaskCompletionSource> _prepared = new();

        public string? FailOn { get; init; }

        public string? FailPreparing { get; init; }

        /// <summary>Completes once the poll has been prepared.</summary>
        public Task Prepared(string poll) => _prepared.GetOrAdd(poll, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public Task<IReadOnlyList<string>> PrepareAsync(IReadOnlyList<string> polls, CancellationToken cancellationToken)
        {
            foreach (var poll in polls)
            {
                _prepared.GetOrAdd(poll, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                if (poll == FailPreparing)
                {
                    return Task.FromException<IReadOnlyList<string>>(new InvalidDataException("cannot convert " + poll));
                }
            }

            return Task.FromResult(polls);
        }

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

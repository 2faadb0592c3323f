using Tributary.Grains.Storage.Log;

namespace Tributary.Tests.Storage.Log;

public sealed class GroupCommitTests
{
    [Fact]
    public async Task WaitersThatArriveDuringAFlush_AreAllCompletedByTheNextSingleFlush()
    {
        var firstFlushStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirstFlush = new ManualResetEventSlim();
        var written = 1L;
        var flushes = 0;
        var commit = new GroupCommit(() =>
        {
            if (Interlocked.Increment(ref flushes) == 1)
            {
                firstFlushStarted.SetResult();
                releaseFirstFlush.Wait();
            }

            return Interlocked.Read(ref written);
        }, flushedOffset: 0);

        var first = commit.WaitForFlushAsync(1);
        await firstFlushStarted.Task;
        var later = Enumerable.Range(2, 8).Select(offset =>
        {
            Interlocked.Exchange(ref written, offset);
            return commit.WaitForFlushAsync(offset);
        }).ToArray();
        releaseFirstFlush.Set();

        await Task.WhenAll(later.Append(first)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, flushes);
        Assert.Equal(9, commit.FlushedOffset);
        Assert.True(commit.WaitForFlushAsync(9).IsCompleted, "an offset already flushed needs no new round");
    }

    [Fact]
    public async Task AFailedFlush_FailsItsWaiters_AndTheNextRoundCanSucceed()
    {
        var fail = true;
        var commit = new GroupCommit(() => fail ? throw new IOException("disk gone") : 5, flushedOffset: 0);

        await Assert.ThrowsAsync<IOException>(() => commit.WaitForFlushAsync(5));
        fail = false;
        await commit.WaitForFlushAsync(5).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(5, commit.FlushedOffset);
    }
}

namespace Tributary.Grains.Storage.Log;

/// <summary>
/// Shares fsyncs among appends. A waiter registers for the next flush round; one round at a time runs on the
/// thread pool, flushing everything written before it started, and completes every waiter registered before it
/// began. Appends that arrive during a round wait for the following one, so under load one fsync covers many
/// appends instead of one each.
/// <para>Thread-safe. A failed flush fails the waiters of its round with the flush's exception.</para>
/// </summary>
internal sealed class GroupCommit
{
    private readonly Func<long> _flush;
    private readonly Lock _lock = new();
    private TaskCompletionSource? _nextRound;
    private bool _running;
    private Task _runner = Task.CompletedTask;
    private long _flushedOffset;
    private int _rounds;

    /// <param name="flush">Flushes everything written so far and returns the offset up to which data is now durable.</param>
    /// <param name="flushedOffset">The offset before which data is already durable.</param>
    public GroupCommit(Func<long> flush, long flushedOffset)
    {
        _flush = flush;
        _flushedOffset = flushedOffset;
    }

    /// <summary>The offset before which every record is on stable storage.</summary>
    public long FlushedOffset
    {
        get
        {
            lock (_lock)
            {
                return _flushedOffset;
            }
        }
    }

    /// <summary>Flush rounds run so far.</summary>
    public int Rounds => Volatile.Read(ref _rounds);

    /// <summary>Completes once every record before <paramref name="offset"/> is on stable storage.</summary>
    public Task WaitForFlushAsync(long offset)
    {
        lock (_lock)
        {
            if (_flushedOffset >= offset)
            {
                return Task.CompletedTask;
            }

            _nextRound ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var task = _nextRound.Task;
            if (!_running)
            {
                _running = true;
                _runner = Task.Run(RunRounds);
            }

            return task;
        }
    }

    /// <summary>Completes when no round runs (rounds requested meanwhile included).</summary>
    public async Task WhenIdleAsync()
    {
        while (true)
        {
            Task runner;
            lock (_lock)
            {
                if (!_running)
                {
                    return;
                }

                runner = _runner;
            }

            await runner.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A follower's log was cut back to <paramref name="offset"/>: what is written from there on is new and waits for
    /// its own round, however far the log was flushed before. Called with no round running.
    /// </summary>
    public void CutBackTo(long offset)
    {
        lock (_lock)
        {
            _flushedOffset = Math.Min(_flushedOffset, offset);
        }
    }

    /// <summary>Starts a flush round if none is pending, without waiting for it.</summary>
    public void RequestFlush() => _ = WaitForFlushAsync(long.MaxValue);

    private void RunRounds()
    {
        while (true)
        {
            TaskCompletionSource? round;
            lock (_lock)
            {
                round = _nextRound;
                _nextRound = null;
                if (round is null)
                {
                    _running = false;
                    return;
                }
            }

            try
            {
                Interlocked.Increment(ref _rounds);
                var flushed = _flush();
                lock (_lock)
                {
                    _flushedOffset = Math.Max(_flushedOffset, flushed);
                }

                round.SetResult();
            }
            catch (Exception e)
            {
                round.SetException(e);
            }
        }
    }
}

namespace Tributary.Grains.Connect.Runtime.Tasks;

/// <summary>
/// Polls handed from a source task's thread to one writer that runs beside it, as Kafka's producer sends while the
/// task polls again: the writer takes every poll queued while it was busy, prepares them (transforms and converters)
/// and writes them as one, in the order they were queued, so that a task polling 100 rows at a time writes them in
/// batches of the size its writes keep up with (a JDBC source went from 0.19-0.23 x a bare SELECT to 0.23-0.33 x in
/// alternating runs, where converting and writing each poll between polls had held it near one core of two).
/// While a write is under way the writer prepares the polls queued since, so that converting the next records
/// overlaps appending the last ones; writes still run one at a time, each after the one before has completed.
/// Enqueuing waits while the queue holds <c>maxQueuedRecords</c> (the producer's <c>buffer.memory</c> in records);
/// a write that fails ends the writer, and the queue's next use throws its error; what was queued after it is never
/// written.
/// </summary>
internal sealed class PollWriteQueue<TPoll, TPrepared>(
    Func<IReadOnlyList<TPoll>, CancellationToken, Task<TPrepared>> prepare,
    Func<TPrepared, CancellationToken, Task> write,
    int maxQueuedRecords)
{
    private readonly Lock _lock = new();
    private List<TPoll> _queued = [];
    private int _queuedRecords;

    // The writer while it runs; null once it has found the queue empty and no write under way. A writer seen
    // completed has failed.
    private Task? _writer;
    private TaskCompletionSource? _roomMade;

    // Set when a poll is queued while the writer waits for its write under way with nothing else to do.
    private TaskCompletionSource? _pollQueued;

    /// <summary>Whether a write failed: <see cref="WrittenAsync"/> then throws its error.</summary>
    public bool Failed
    {
        get
        {
            lock (_lock)
            {
                return _writer is { IsCompleted: true };
            }
        }
    }

    /// <summary>Queues a poll of <paramref name="records"/> records; waits only while the queue is full.</summary>
    public Task EnqueueAsync(TPoll poll, int records, CancellationToken cancellationToken)
    {
        Task room;
        Task writer;
        lock (_lock)
        {
            if (_writer is { IsCompleted: true } failed)
            {
                return failed;
            }

            _queued.Add(poll);
            _queuedRecords += records;
            _pollQueued?.TrySetResult();
            _pollQueued = null;
            if (_writer is null)
            {
                _writer = Task.Run(() => WriteQueuedAsync(cancellationToken), CancellationToken.None);
                return Task.CompletedTask;
            }

            if (_queuedRecords < maxQueuedRecords)
            {
                return Task.CompletedTask;
            }

            room = (_roomMade ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            writer = _writer;
        }

        return WaitForRoomAsync(room, writer);
    }

    /// <summary>Waits until everything queued is written; throws the error of a write that failed.</summary>
    public Task WrittenAsync()
    {
        lock (_lock)
        {
            return _writer ?? Task.CompletedTask;
        }
    }

    private static async Task WaitForRoomAsync(Task room, Task writer)
    {
        // The writer makes room when it takes the queue, or fails before: then its error is the task's. A poll it took
        // has been handed over, whatever became of its write (the next use of the queue tells).
        await Task.WhenAny(room, writer).ConfigureAwait(false);
        if (!room.IsCompleted)
        {
            await writer.ConfigureAwait(false);
        }
    }

    private async Task WriteQueuedAsync(CancellationToken cancellationToken)
    {
        Task? writing = null;
        while (true)
        {
            List<TPoll> polls;
            TaskCompletionSource? roomMade;
            Task? pollQueued = null;
            lock (_lock)
            {
                if (_queued.Count == 0)
                {
                    if (writing is null)
                    {
                        _writer = null;
                        return;
                    }

                    if (!writing.IsCompleted)
                    {
                        pollQueued = (_pollQueued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
                    }
                }

                polls = _queued;
                _queued = [];
                _queuedRecords = 0;
                roomMade = _roomMade;
                _roomMade = null;
            }

            if (polls.Count == 0)
            {
                // Nothing to prepare: the write under way completes, or a poll comes to be prepared beside it.
                if (pollQueued is not null)
                {
                    await Task.WhenAny(writing!, pollQueued).ConfigureAwait(false);
                }

                if (writing!.IsCompleted)
                {
                    await writing.ConfigureAwait(false); // a failed write ends the writer with its error
                    writing = null;
                }

                continue;
            }

            roomMade?.TrySetResult();
            TPrepared prepared;
            try
            {
                prepared = await prepare(polls, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (writing is not null)
            {
                // The writer ends with the write under way settled, never beside it; that write's own failure, being
                // the earlier, is the one the task sees.
                await writing.ConfigureAwait(false);
                throw;
            }

            if (writing is not null)
            {
                await writing.ConfigureAwait(false);
            }

            writing = write(prepared, cancellationToken);
        }
    }
}

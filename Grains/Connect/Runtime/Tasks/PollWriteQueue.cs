namespace Tributary.Grains.Connect.Runtime.Tasks;

/// <summary>
/// Polls handed from a source task's thread to one writer that runs beside it, as Kafka's producer sends while the
/// task polls again: the writer takes every poll queued while it was busy and writes them as one, in the order they
/// were queued, so that a task polling 100 rows at a time writes them in batches of the size its writes keep up with
/// (a JDBC source went from 0.19-0.23 x a bare SELECT to 0.23-0.33 x in alternating runs, where converting and writing
/// each poll between polls had held it near one core of two).
/// Enqueuing waits while the queue holds <c>maxQueuedRecords</c> (the producer's <c>buffer.memory</c> in records);
/// a write that fails ends the writer, and the queue's next use throws its error; what was queued after it is never
/// written.
/// </summary>
internal sealed class PollWriteQueue<T>(Func<IReadOnlyList<T>, CancellationToken, Task> write, int maxQueuedRecords)
{
    private readonly Lock _lock = new();
    private List<T> _queued = [];
    private int _queuedRecords;

    // The writer while it runs; null once it has found the queue empty. A writer seen completed has failed.
    private Task? _writer;
    private TaskCompletionSource? _roomMade;

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
    public Task EnqueueAsync(T poll, int records, CancellationToken cancellationToken)
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
        while (true)
        {
            List<T> polls;
            TaskCompletionSource? roomMade;
            lock (_lock)
            {
                if (_queued.Count == 0)
                {
                    _writer = null;
                    return;
                }

                polls = _queued;
                _queued = [];
                _queuedRecords = 0;
                roomMade = _roomMade;
                _roomMade = null;
            }

            roomMade?.TrySetResult();
            await write(polls, cancellationToken).ConfigureAwait(false);
        }
    }
}

using System.Collections.Concurrent;

namespace Tributary.Grains.Storage;

/// <summary>
/// The threads that recover and close logs (Kafka's <c>num.recovery.threads.per.data.dir</c>): a fixed number of
/// dedicated threads, so that blocking file work (reading a log's tail, fsync) never holds the thread pool that grains
/// and connections run on, and so that no more logs are worked on at once than there are threads.
/// <para>Two queues: urgent work (a log a client is waiting for) is taken before background work (recovering every
/// log after a crash), so a request does not wait behind the whole backlog.</para>
/// <para>Thread-safe. The threads start on first use. <see cref="Dispose"/> lets the work already taken finish and
/// cancels the rest.</para>
/// </summary>
internal sealed class RecoveryThreads : IDisposable
{
    private readonly ConcurrentQueue<WorkItem> _urgent = new();
    private readonly ConcurrentQueue<WorkItem> _background = new();
    private readonly SemaphoreSlim _queued = new(0);
    private readonly Lock _startLock = new();
    private readonly string _name;
    private Thread[]? _threads;
    private volatile bool _stopped;

    public RecoveryThreads(int count, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Count = count;
        _name = name;
    }

    /// <summary>How many threads work at most.</summary>
    public int Count { get; }

    /// <summary>Runs <paramref name="work"/> on one of the threads; urgent work goes before background work.</summary>
    public Task<T> RunAsync<T>(Func<T> work, bool urgent)
    {
        var item = new WorkItem<T>(work);
        if (_stopped)
        {
            item.Cancel();
            return item.Task;
        }

        (urgent ? _urgent : _background).Enqueue(item);
        EnsureStarted();
        _queued.Release();
        if (_stopped)
        {
            // Disposed meanwhile: its threads may be gone before taking this.
            CancelQueued();
        }

        return item.Task;
    }

    public void Dispose()
    {
        _stopped = true;
        CancelQueued();
        Thread[]? threads;
        lock (_startLock)
        {
            threads = _threads;
        }

        if (threads is not null)
        {
            _queued.Release(threads.Length);
            foreach (var thread in threads)
            {
                thread.Join();
            }
        }

        CancelQueued();
    }

    private void CancelQueued()
    {
        while (_urgent.TryDequeue(out var item) || _background.TryDequeue(out item))
        {
            item.Cancel();
        }
    }

    private void EnsureStarted()
    {
        if (Volatile.Read(ref _threads) is not null)
        {
            return;
        }

        lock (_startLock)
        {
            if (_threads is not null || _stopped)
            {
                return;
            }

            var threads = new Thread[Count];
            for (var i = 0; i < Count; i++)
            {
                threads[i] = new Thread(Work) { IsBackground = true, Name = $"{_name}-{i}" };
                threads[i].Start();
            }

            Volatile.Write(ref _threads, threads);
        }
    }

    private void Work()
    {
        while (true)
        {
            _queued.Wait();
            if (_stopped)
            {
                return;
            }

            if (_urgent.TryDequeue(out var item) || _background.TryDequeue(out item))
            {
                item.Run();
            }
        }
    }

    private abstract class WorkItem
    {
        public abstract void Run();

        public abstract void Cancel();
    }

    private sealed class WorkItem<T>(Func<T> work) : WorkItem
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => _done.Task;

        public override void Run()
        {
            try
            {
                _done.TrySetResult(work());
            }
            catch (Exception e)
            {
                _done.TrySetException(e);
            }
        }

        public override void Cancel() => _done.TrySetCanceled();
    }
}

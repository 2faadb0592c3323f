namespace Tributary.Grains.Connect.Runtime.Tasks;

/// <summary>
/// What source and sink task runners share: the status they report, pausing (the task stays started but moves no data,
/// as Kafka's PAUSED), and the loop that turns a failure into a FAILED status with its trace. Thread-safe for
/// <see cref="Pause"/>, <see cref="Resume"/> and <see cref="Status"/>; <see cref="RunAsync"/> runs once.
/// </summary>
public abstract class TaskRunner
{
    private readonly Action<TaskStatus> _report;
    private readonly object _gate = new();
    private TaskCompletionSource _resumed = NewResumed(completed: true);
    private volatile TaskStatus _status = TaskStatus.Unassigned;

    protected TaskRunner(Action<TaskStatus> report) => _report = report;

    public TaskStatus Status => _status;

    public bool IsPaused
    {
        get
        {
            lock (_gate)
            {
                return !_resumed.Task.IsCompleted;
            }
        }
    }

    public void Pause()
    {
        lock (_gate)
        {
            if (_resumed.Task.IsCompleted)
            {
                _resumed = NewResumed(completed: false);
            }
        }

        if (_status == TaskStatus.Running)
        {
            SetStatus(TaskStatus.Paused);
        }
    }

    public void Resume()
    {
        lock (_gate)
        {
            _resumed.TrySetResult();
        }

        if (_status == TaskStatus.Paused)
        {
            SetStatus(TaskStatus.Running);
        }
    }

    /// <summary>Runs the task until <paramref name="cancellationToken"/> stops it or it fails; never throws but for cancellation of a start.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await StartAsync(cancellationToken).ConfigureAwait(false);
            SetStatus(IsPaused ? TaskStatus.Paused : TaskStatus.Running);
            while (!cancellationToken.IsCancellationRequested)
            {
                await WaitWhilePausedAsync(cancellationToken).ConfigureAwait(false);
                await IterateAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            SetStatus(TaskStatus.Failed(e));
            await StopQuietlyAsync(failed: true).ConfigureAwait(false);
            return;
        }

        await StopQuietlyAsync(failed: false).ConfigureAwait(false);
        SetStatus(TaskStatus.Unassigned);
    }

    protected abstract Task StartAsync(CancellationToken cancellationToken);

    /// <summary>One round: a poll and its writes for a source, a read and its put for a sink, with commits when due.</summary>
    protected abstract Task IterateAsync(CancellationToken cancellationToken);

    /// <summary>Commits what can be committed (nothing of a run that <paramref name="failed"/> but what is safe) and stops the task.</summary>
    protected abstract Task StopAsync(bool failed);

    private async Task StopQuietlyAsync(bool failed)
    {
        try
        {
            await StopAsync(failed).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A task that fails while stopping has nothing more to lose; its status already tells how it ended.
        }
    }

    private Task WaitWhilePausedAsync(CancellationToken cancellationToken)
    {
        Task resumed;
        lock (_gate)
        {
            resumed = _resumed.Task;
        }

        return resumed.IsCompleted ? Task.CompletedTask : resumed.WaitAsync(cancellationToken);
    }

    private void SetStatus(TaskStatus status)
    {
        _status = status;
        _report(status);
    }

    private static TaskCompletionSource NewResumed(bool completed)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            source.SetResult();
        }

        return source;
    }
}

namespace Tributary.Grains.Storage.Log;

/// <summary>
/// Wakes the readers waiting for a log to grow (Kafka's delayed fetches) without polling: a waiter registers one
/// shared task, and whoever raises the high watermark (or closes the log) completes it and clears it, so the next
/// waiter registers a new one.
/// </summary>
/// <remarks>
/// Thread-safe without a lock. A reader registers first and checks the condition after (the exchange is a full
/// fence), and a writer raises the condition first and signals after, so a reader either sees the new state or is
/// woken by the signal; a wake-up may be spurious, so readers check again. Nothing to recover after a crash.
/// </remarks>
internal sealed class DataArrivalSignal
{
    private TaskCompletionSource? _arrived;

    /// <summary>Completes at the next <see cref="Signal"/>, or at once when <paramref name="alreadyThere"/> holds once registered.</summary>
    public Task WaitAsync(Func<bool> alreadyThere, CancellationToken cancellationToken)
    {
        var waiter = Volatile.Read(ref _arrived);
        if (waiter is null)
        {
            var created = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiter = Interlocked.CompareExchange(ref _arrived, created, null) ?? created;
        }

        return alreadyThere() ? Task.CompletedTask : waiter.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Wakes every waiter registered so far; call it after the change they wait for is visible.</summary>
    public void Signal() => Interlocked.Exchange(ref _arrived, null)?.TrySetResult();
}

using Tributary.Grains.Connect.Runtime.Metrics;

namespace Tributary.Grains.Connect.Runtime.Errors;

/// <summary>
/// Runs a task's per-record operations with Connect's error handling (Kafka's <c>RetryWithToleranceOperator</c>): a
/// <see cref="Api.RetriableException"/> is tried again with doubling delays up to <c>errors.retry.delay.max.ms</c> until
/// <c>errors.retry.timeout</c>; any other failure, or one still failing when the time is up, either ends the task
/// (<c>errors.tolerance=none</c>: <see cref="ToleranceExceededException"/>) or is reported and the record skipped
/// (<c>all</c>). Not thread-safe: one per task.
/// </summary>
public sealed class RetryWithTolerance(ErrorHandlingConfig config, TimeProvider time, TaskMetrics? metrics = null)
{
    private readonly TaskMetrics _metrics = metrics ?? TaskMetrics.Unmetered;

    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(300);

    private long _tolerated;

    /// <summary>Records skipped so far because their failure was tolerated (counted from the reading and the putting thread).</summary>
    public long ToleratedCount => Interlocked.Read(ref _tolerated);

    /// <summary>The operation's result, or the failure tolerated (the record is to be skipped).</summary>
    /// <remarks>
    /// Success costs one call: the retry deadline, the delays and the asynchronous machinery come into play only once
    /// the operation has failed. The task runners try each record's stages directly and come here only for a stage
    /// that failed (<see cref="ContinueAfterFailureAsync{TState, T}"/>) and the stages after it.
    /// </remarks>
    public ValueTask<(T? Result, ProcessingFailure? Failure)> ExecuteAsync<T>(
        ErrorStage stage, string className, Func<T> operation, CancellationToken cancellationToken)
    {
        try
        {
            return new((operation(), null));
        }
        catch (Exception e) when (Handles(e))
        {
            _metrics.AttemptFailed();
            return RetryAsync(stage, className, operation, e, cancellationToken);
        }
    }

    /// <summary>
    /// As <see cref="ExecuteAsync{T}(ErrorStage, string, Func{T}, CancellationToken)"/>, with the operation's input passed
    /// in: a static operation then allocates no closure per record; one is made only if the operation fails.
    /// </summary>
    public ValueTask<(T? Result, ProcessingFailure? Failure)> ExecuteAsync<TState, T>(
        ErrorStage stage, string className, Func<TState, T> operation, TState state, CancellationToken cancellationToken)
    {
        try
        {
            return new((operation(state), null));
        }
        catch (Exception e) when (Handles(e))
        {
            return ContinueAfterFailureAsync(stage, className, operation, state, e, cancellationToken);
        }
    }

    /// <summary>Whether a failure of an operation is this handling's to retry, tolerate or fail the task with; cancellation and an exceeded tolerance pass through.</summary>
    public static bool Handles(Exception error) => error is not OperationCanceledException and not ToleranceExceededException;

    /// <summary>
    /// As <see cref="ExecuteAsync{TState, T}"/> for an operation whose first attempt the caller made itself and saw fail
    /// with <paramref name="firstError"/> (one that <see cref="Handles"/>): the failure is counted, then the operation
    /// retried or the failure tolerated as if this handling had made that attempt.
    /// </summary>
    public ValueTask<(T? Result, ProcessingFailure? Failure)> ContinueAfterFailureAsync<TState, T>(
        ErrorStage stage, string className, Func<TState, T> operation, TState state, Exception firstError, CancellationToken cancellationToken)
    {
        _metrics.AttemptFailed();
        return RetryWithStateAsync(stage, className, operation, state, firstError, cancellationToken);
    }

    // A method of its own: a lambda capturing the parameters above would make the compiler allocate its closure on
    // entry to ExecuteAsync, that is for every call, not only for the ones that fail.
    private ValueTask<(T? Result, ProcessingFailure? Failure)> RetryWithStateAsync<TState, T>(
        ErrorStage stage, string className, Func<TState, T> operation, TState state, Exception firstError, CancellationToken cancellationToken) =>
        RetryAsync(stage, className, () => operation(state), firstError, cancellationToken);

    private async ValueTask<(T? Result, ProcessingFailure? Failure)> RetryAsync<T>(
        ErrorStage stage, string className, Func<T> operation, Exception firstError, CancellationToken cancellationToken)
    {
        var deadline = config.RetryTimeout == Timeout.InfiniteTimeSpan ? DateTimeOffset.MaxValue : time.GetUtcNow() + config.RetryTimeout;
        var delay = FirstDelay;
        var error = firstError;
        while (true)
        {
            var now = time.GetUtcNow();
            if (error is Api.RetriableException && now < deadline)
            {
                // As Kafka's backoff, the last wait is cut short at the deadline, and the operation tried once more there.
                var remaining = deadline - now;
                await Task.Delay(delay < remaining ? delay : remaining, time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, config.MaxRetryDelay.Ticks));
                _metrics.Retried();
                try
                {
                    return (operation(), null);
                }
                catch (Exception e) when (Handles(e))
                {
                    _metrics.AttemptFailed();
                    error = e;
                    continue;
                }
            }

            _metrics.RecordFailed(skipped: config.TolerateAll);
            if (!config.TolerateAll)
            {
                throw new ToleranceExceededException(stage, className, error);
            }

            Interlocked.Increment(ref _tolerated);
            return (default, new ProcessingFailure(stage, className, error));
        }
    }

    /// <summary>
    /// A failure reported by the task itself (an errant record, KIP-610): tolerated and counted with
    /// <c>errors.tolerance=all</c>; otherwise the task fails, as Kafka's reporter does.
    /// </summary>
    public ProcessingFailure Fail(ErrorStage stage, string className, Exception error)
    {
        // As Kafka's executeFailed: a failure always; an error only when it fails the task, and no record skipped,
        // since the task itself goes on past the record it reported.
        _metrics.AttemptFailed();
        if (!config.TolerateAll)
        {
            _metrics.RecordFailed(skipped: false);
            throw new ToleranceExceededException(stage, className, error);
        }

        Interlocked.Increment(ref _tolerated);
        return new ProcessingFailure(stage, className, error);
    }
}

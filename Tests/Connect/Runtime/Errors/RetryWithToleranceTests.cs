using Microsoft.Extensions.Time.Testing;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Runtime.Errors;

namespace Tributary.Tests.Connect.Runtime.Errors;

public sealed class RetryWithToleranceTests
{
    private static ErrorHandlingConfig Config(string tolerance = "none", long retryTimeoutMs = 0, long maxDelayMs = 60000) =>
        ErrorHandlingConfig.From(new Dictionary<string, string>
        {
            ["errors.tolerance"] = tolerance,
            ["errors.retry.timeout"] = retryTimeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["errors.retry.delay.max.ms"] = maxDelayMs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    [Fact]
    public void ErrorHandlingConfig_From_ReadsTheErrorsKeys_WithKafkasDefaults()
    {
        var defaults = ErrorHandlingConfig.From(new Dictionary<string, string>());
        var infinite = Config("all", retryTimeoutMs: -1);

        Assert.False(defaults.TolerateAll);
        Assert.Equal(TimeSpan.Zero, defaults.RetryTimeout);
        Assert.Equal(TimeSpan.FromMinutes(1), defaults.MaxRetryDelay);
        Assert.Equal("", defaults.DeadLetterTopic);
        Assert.Equal((short)3, defaults.DeadLetterReplicationFactor);
        Assert.True(infinite.TolerateAll);
        Assert.Equal(Timeout.InfiniteTimeSpan, infinite.RetryTimeout);
    }

    [Fact]
    public async Task Execute_Success_ReturnsTheResult()
    {
        var retry = new RetryWithTolerance(Config(), new FakeTimeProvider());

        var (result, failure) = await retry.ExecuteAsync(ErrorStage.ValueConverter, "c", () => 42, CancellationToken.None);

        Assert.Equal(42, result);
        Assert.Null(failure);
    }

    [Fact]
    public async Task Execute_NoTolerance_NonRetriableFailure_ThrowsToleranceExceeded_AtOnce()
    {
        var retry = new RetryWithTolerance(Config(retryTimeoutMs: 10000), new FakeTimeProvider());
        var attempts = 0;

        var error = await Assert.ThrowsAsync<ToleranceExceededException>(async () =>
            await retry.ExecuteAsync<int>(ErrorStage.Transformation, "t", () => { attempts++; throw new InvalidOperationException("bad"); }, CancellationToken.None));

        Assert.Equal(1, attempts);
        Assert.Equal("Tolerance exceeded in error handler", error.Message);
        Assert.Equal(ErrorStage.Transformation, error.Stage);
        Assert.Equal("t", error.ClassName);
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    [Fact]
    public async Task Execute_ToleranceAll_ReturnsTheFailure_AndCountsIt()
    {
        var retry = new RetryWithTolerance(Config("all"), new FakeTimeProvider());

        var (result, failure) = await retry.ExecuteAsync<string>(ErrorStage.KeyConverter, "conv", () => throw new FormatException("x"), CancellationToken.None);
        await retry.ExecuteAsync<string>(ErrorStage.KeyConverter, "conv", () => throw new FormatException("y"), CancellationToken.None);

        Assert.Null(result);
        Assert.NotNull(failure);
        Assert.Equal(ErrorStage.KeyConverter, failure.Stage);
        Assert.Equal("conv", failure.ClassName);
        Assert.IsType<FormatException>(failure.Error);
        Assert.Equal(2, retry.ToleratedCount);
    }

    [Fact]
    public async Task ContinueAfterFailure_ARetriableFirstFailure_IsRetriedAfterTheFirstDelay_NotAtOnce()
    {
        var time = new TimerCountingTime();
        var retry = new RetryWithTolerance(Config(retryTimeoutMs: 10000), time);
        var attempts = 0;

        var running = retry.ContinueAfterFailureAsync(
            ErrorStage.ValueConverter, "c", static (Func<int> attempt) => attempt(), () => ++attempts, new RetriableException("later"), CancellationToken.None).AsTask();

        Assert.Equal(0, attempts); // the caller's own attempt was the first
        time.Advance(TimeSpan.FromMilliseconds(299));
        Assert.Equal(0, attempts);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var (result, failure) = await running.WaitAsync(TimeSpan.FromSeconds(2));

        Assert.Equal(1, result);
        Assert.Null(failure);
    }

    [Fact]
    public async Task ContinueAfterFailure_ToleranceAll_TheFirstFailure_IsTolerated_WithoutAnotherAttempt()
    {
        var retry = new RetryWithTolerance(Config("all", retryTimeoutMs: 10000), new FakeTimeProvider());
        var attempts = 0;

        var (result, failure) = await retry.ContinueAfterFailureAsync(
            ErrorStage.HeaderConverter, "h", static (Func<string> attempt) => attempt(), () => { attempts++; return "x"; },
            new FormatException("bad header"), CancellationToken.None);

        Assert.Equal(0, attempts);
        Assert.Null(result);
        Assert.Equal(ErrorStage.HeaderConverter, failure!.Stage);
        Assert.Equal("h", failure.ClassName);
        Assert.Equal("bad header", failure.Error.Message);
        Assert.Equal(1, retry.ToleratedCount);
    }

    [Fact]
    public async Task ContinueAfterFailure_NoTolerance_TheFirstFailure_FailsTheTask_WithItsStage()
    {
        var retry = new RetryWithTolerance(Config(), new FakeTimeProvider());

        var error = await Assert.ThrowsAsync<ToleranceExceededException>(async () => await retry.ContinueAfterFailureAsync(
            ErrorStage.KeyConverter, "k", static (Func<int> attempt) => attempt(), () => 1, new FormatException("bad key"), CancellationToken.None));

        Assert.Equal(ErrorStage.KeyConverter, error.Stage);
        Assert.Equal("k", error.ClassName);
        Assert.Equal("bad key", error.InnerException!.Message);
    }

    [Fact]
    public async Task Execute_RetriableFailure_WithoutRetryTimeout_IsNotRetried()
    {
        var retry = new RetryWithTolerance(Config("all"), new FakeTimeProvider());
        var attempts = 0;

        var (_, failure) = await retry.ExecuteAsync<int>(ErrorStage.TaskPut, "t", () => { attempts++; throw new RetriableException("later"); }, CancellationToken.None);

        Assert.Equal(1, attempts);
        Assert.IsType<RetriableException>(failure!.Error);
    }

    [Fact]
    public async Task Execute_RetriableFailure_IsRetriedWithDoublingDelays_UntilItSucceeds()
    {
        var time = new TimerCountingTime();
        var retry = new RetryWithTolerance(Config(retryTimeoutMs: 10000), time);
        var attempts = 0;

        var running = retry.ExecuteAsync(ErrorStage.TaskPut, "t", () => ++attempts < 3 ? throw new RetriableException("later") : attempts, CancellationToken.None).AsTask();

        Assert.Equal(1, attempts);
        time.Advance(TimeSpan.FromMilliseconds(299));
        Assert.Equal(1, attempts);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await WaitUntil(() => time.Timers == 2); // the attempt failed and its wait began
        time.Advance(TimeSpan.FromMilliseconds(599));
        Assert.Equal(2, attempts);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var (result, failure) = await running.WaitAsync(TimeSpan.FromSeconds(2));

        Assert.Equal(3, result);
        Assert.Null(failure);
    }

    [Fact]
    public async Task Execute_RetriableFailure_RetriedUntilTheTimeout_ThenThrowsWithoutTolerance()
    {
        var time = new TimerCountingTime();
        var retry = new RetryWithTolerance(Config(retryTimeoutMs: 1000), time);
        var attempts = 0;

        var running = retry.ExecuteAsync<int>(ErrorStage.TaskPut, "t", () => { attempts++; throw new RetriableException("later"); }, CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(300));
        await WaitUntil(() => time.Timers == 2); // the attempt failed and its wait began
        time.Advance(TimeSpan.FromMilliseconds(600));
        await WaitUntil(() => time.Timers == 3); // the attempt failed and its wait began
        Assert.False(running.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(100));

        var error = await Assert.ThrowsAsync<ToleranceExceededException>(() => running.WaitAsync(TimeSpan.FromSeconds(2)));

        // As Kafka: at 0, 300 and 900 ms, then once more at the deadline (the last wait cut short), then give up.
        Assert.Equal(4, attempts);
        Assert.IsType<RetriableException>(error.InnerException);
    }

    [Fact]
    public async Task Execute_DelayNeverExceedsTheMaximum()
    {
        var time = new TimerCountingTime();
        var retry = new RetryWithTolerance(Config(retryTimeoutMs: -1, maxDelayMs: 400), time);
        var attempts = 0;

        var running = retry.ExecuteAsync(ErrorStage.TaskPut, "t", () => ++attempts < 4 ? throw new RetriableException("later") : attempts, CancellationToken.None).AsTask();
        time.Advance(TimeSpan.FromMilliseconds(300));
        await WaitUntil(() => time.Timers == 2); // the attempt failed and its wait began
        time.Advance(TimeSpan.FromMilliseconds(400));
        await WaitUntil(() => time.Timers == 3); // the attempt failed and its wait began
        time.Advance(TimeSpan.FromMilliseconds(400));
        var (result, _) = await running.WaitAsync(TimeSpan.FromSeconds(2));

        Assert.Equal(4, result);
    }

    [Fact]
    public async Task Execute_CancelledWhileWaitingToRetry_ThrowsCancellation()
    {
        var retry = new RetryWithTolerance(Config("all", retryTimeoutMs: 10000), new FakeTimeProvider());
        using var cancel = new CancellationTokenSource();

        var running = retry.ExecuteAsync<int>(ErrorStage.TaskPut, "t", () => throw new RetriableException("later"), cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(TimeSpan.FromSeconds(2)));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(1);
        }
    }

    /// <summary>Fake time that counts the timers made: a retry's wait has begun once its timer exists.</summary>
    private sealed class TimerCountingTime : FakeTimeProvider
    {
        private int _timers;

        public int Timers => Volatile.Read(ref _timers);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Interlocked.Increment(ref _timers);
            return timer;
        }
    }
}

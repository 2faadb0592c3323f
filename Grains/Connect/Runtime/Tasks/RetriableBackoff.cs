using Tributary.Grains.Connect.Api;

namespace Tributary.Grains.Connect.Runtime.Tasks;

/// <summary>
/// Tries an operation until it succeeds or the task is stopped, waiting 100 ms after the first
/// <see cref="RetriableException"/> and twice as long after each next one, up to a second (Kafka's consumer
/// <c>retry.backoff.ms</c> and <c>retry.backoff.max.ms</c> defaults): a consumer rides out a broker's death the same way.
/// The first failure of a series is logged, not every retry.
/// </summary>
internal sealed class RetriableBackoff(TimeProvider time, Microsoft.Extensions.Logging.ILogger logger)
{
    private static readonly TimeSpan First = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(1);

    public async Task<T> RunAsync<T>(Func<Task<T>> operation, string what, CancellationToken cancellationToken)
    {
        var backoff = First;
        while (true)
        {
            try
            {
                return await operation().ConfigureAwait(false);
            }
            catch (RetriableException e)
            {
                if (backoff == First)
                {
                    TaskRunnerLog.Retrying(logger, what, e.Message);
                }

                await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, Max.Ticks));
            }
        }
    }
}

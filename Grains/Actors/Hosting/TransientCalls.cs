using System.Diagnostics;

namespace Tributary.Grains.Actors.Hosting;

/// <summary>
/// Grain calls tried again when they fail for a moment: the silo that hosts their target is stopping or has just
/// died, and the target activates again elsewhere once membership says so. For calls whose failure would fail
/// something a client cannot tell apart from a real refusal (a partition grain's activation, which fails the produce
/// request that woke it while the next one on the connection succeeds).
/// </summary>
internal static class TransientCalls
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(1);

    /// <summary>Runs <paramref name="call"/> until it succeeds, fails otherwise, or <paramref name="budget"/> is spent.</summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> call, TimeSpan budget)
    {
        var started = Stopwatch.GetTimestamp();
        var delay = FirstDelay;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (IsTransient(e) && Stopwatch.GetElapsedTime(started) + delay < budget)
            {
                await Task.Delay(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestDelay.Ticks));
            }
        }
    }

    /// <summary>The target's silo is unavailable or rejected the message (it stops): another activation will answer.</summary>
    public static bool IsTransient(Exception exception) => exception is OrleansMessageRejectionException;
}

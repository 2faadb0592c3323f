namespace Tributary.Grains.Actors.Metrics;

/// <summary>
/// The loop of a metric worked out in rounds: one round now, then one every interval, skipped while no one listens to
/// its gauges; a round that fails is reported and the next one goes ahead. A non-positive interval runs nothing (the
/// silo refuses it at start).
/// </summary>
internal static class MetricRounds
{
    public static async Task RunAsync(
        TimeSpan interval, Func<bool> listened, Func<CancellationToken, Task> round, Action<Exception> failed, TimeProvider time, CancellationToken stopping)
    {
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        do
        {
            if (!listened())
            {
                continue;
            }

            try
            {
                await round(stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                failed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stopping));
    }
}

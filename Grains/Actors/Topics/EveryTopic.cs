using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Grains.Actors.Topics;

/// <summary>
/// A call made to every topic of the catalog (a broker's fencing or joining), a bounded number at a time, the topics
/// that failed tried again after a delay until every one has answered or the silo stops.
/// </summary>
internal static class EveryTopic
{
    private const int InFlight = 16;

    /// <param name="failed">Told of each failure: the topic (or "(catalog)") and why.</param>
    public static async Task CallAsync(
        IGrainFactory grains, Func<ITopicGrain, Task> call, Action<string, string> failed, TimeSpan retryDelay, CancellationToken stopping)
    {
        HashSet<string>? pending = null;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                pending ??= [.. await grains.GetGrain<ITopicCatalogGrain>(0).ListAsync()];
                var failures = new HashSet<string>(StringComparer.Ordinal);
                await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = stopping }, async (topic, _) =>
                {
                    try
                    {
                        await call(grains.GetGrain<ITopicGrain>(topic));
                    }
                    catch (Exception e) when (e is TimeoutException or OrleansException)
                    {
                        lock (failures)
                        {
                            failures.Add(topic);
                        }

                        failed(topic, e.Message);
                    }
                });
                pending = failures;
                if (pending.Count == 0)
                {
                    return;
                }
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                failed("(catalog)", e.Message);
            }

            try
            {
                await Task.Delay(retryDelay, stopping);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

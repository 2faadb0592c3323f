using Tributary.Grains.Connect.Api;

namespace Tributary.Grains.Actors.Connect;

/// <summary>
/// A grain call that fails because a silo died or a call timed out (the partition or group grain is being activated
/// again on a survivor) is, to a task, what a broker's disconnection is to Kafka's clients: a
/// <see cref="RetriableException"/>, retried after a backoff, never a reason to fail the task.
/// </summary>
internal static class TransientGrainFailures
{
    public static async Task<T> RetriableAsync<T>(Func<Task<T>> call, string what)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            throw new RetriableException($"{what} failed: {e.Message}", e);
        }
    }

    public static async Task RetriableAsync(Func<Task> call, string what)
    {
        try
        {
            await call();
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            throw new RetriableException($"{what} failed: {e.Message}", e);
        }
    }
}

using Tributary.Grains.Interfaces.Partitions;

namespace Tributary.Gateway.Kafka.Partitions;

/// <summary>
/// A partition call made while the partition's leadership is arriving at this broker: its grain may still answer from
/// the broker it left (resigned, not yet deactivated) or from where the old registration placed it, naming this
/// broker as the leader. Refusing such a produce while the connection's next batch reaches the new activation would
/// leave a gap in an idempotent producer's sequence (OUT_OF_ORDER_SEQUENCE_NUMBER, then librdkafka's epoch bump
/// writes again records it thinks were not written). A connection's requests are handled one at a time, so calling
/// again after a short wait keeps its batches in order. Any other failure, or one naming another broker, is the
/// caller's to answer.
/// </summary>
public static class LeadershipArrival
{
    private static readonly TimeSpan FirstWait = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan LongestWait = TimeSpan.FromMilliseconds(250);

    /// <param name="budget">How long the leadership may take to arrive (within the request's own timeout).</param>
    public static async Task<T> CallAsync<T>(Func<Task<T>> call, int thisBroker, TimeSpan budget, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        var started = time.GetTimestamp();
        var wait = FirstWait;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (BrokerNotAvailableException e) when (e.BrokerId == thisBroker && e.Partition >= 0 && time.GetElapsedTime(started) + wait < budget)
            {
                await Task.Delay(wait, time);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestWait.Ticks));
            }
        }
    }
}

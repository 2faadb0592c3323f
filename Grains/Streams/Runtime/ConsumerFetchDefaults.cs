using System.Globalization;
using Confluent.Kafka;

namespace Tributary.Grains.Streams.Runtime;

/// <summary>
/// librdkafka stops fetching a partition once its local queue holds <c>queued.min.messages</c> records (100,000 by
/// default) and looks at it again only after <c>fetch.queue.backoff.ms</c>, a second by default. A stream thread that
/// drains such a queue (a repartition topic's backlog, a changelog being restored) then waits most of that second for
/// records the broker already holds: with a 750,000-record repartition backlog on one thread, the thread spent about
/// a third of its time on empty polls. Kafka's own consumer fetches a partition again as soon as its buffer is drained,
/// so the library's consumers look again after one poll interval (<c>poll.ms</c>), unless the configuration names a
/// value of its own.
/// </summary>
internal static class ConsumerFetchDefaults
{
    private const string FetchQueueBackoff = "fetch.queue.backoff.ms";

    public static ConsumerConfig FetchAgainWithin(this ConsumerConfig config, TimeSpan pollInterval)
    {
        if (config.Get(FetchQueueBackoff) is null)
        {
            config.Set(FetchQueueBackoff, Math.Max(1, (long)pollInterval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
        }

        return config;
    }
}

using Microsoft.Extensions.Logging;
using Tributary.Grains.Actors.Placement;
using Tributary.Grains.Interfaces.Replication;
using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Grains.Actors.Topics;

/// <summary>
/// A topic's partition registrations to be sent to brokers, gathered per broker, and how they are applied to the
/// topic's partitions: the controller's change to each partition (stored by the topic grain), the brokers that hold or
/// held a replica of a changed partition told of it. Sent in the background, after the topic grain's call: a broker's
/// answer may need the topic grain (a partition grain activating asks for its registration).
/// </summary>
internal sealed partial class RegistrationNotices
{
    /// <summary>How long a failed notice waits before it is sent again.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>How many times a notice is sent at most: with the call's 5 s timeout, about a minute of trying.</summary>
    private const int MaxAttempts = 10;

    private readonly Dictionary<int, List<PartitionRegistrationUpdate>> _byBroker = [];

    /// <summary>
    /// The broker that told the controller it joined, if any: sent its notices whether or not this silo's membership
    /// view shows it live yet (it just called), so a lagging view does not drop what it must follow.
    /// </summary>
    private int? _joined;

    /// <summary>
    /// Applies <paramref name="change"/> to every partition (by index) in place (null: not concerned) and gathers the notices:
    /// each changed partition to every broker that holds or held a replica of it, and to <paramref name="tell"/> every
    /// partition it holds a replica of, changed or not. Returns how many partitions changed.
    /// </summary>
    public static (int Changed, RegistrationNotices Notices) Apply(
        List<PartitionRegistration> partitions, Func<int, PartitionRegistration, PartitionChange?> change, int? tell, ILogger logger, string topic)
    {
        var notices = new RegistrationNotices { _joined = tell };
        var changed = 0;
        for (var p = 0; p < partitions.Count; p++)
        {
            var before = partitions[p];
            var after = before;
            if (change(p, before) is { } result && result.Changed(before))
            {
                after = result.Registration;
                partitions[p] = after;
                changed++;
                LogRegistrationChanged(logger, topic, p, before.ToString(), after.ToString());
                foreach (var broker in before.Replicas.Union(after.Replicas).Where(b => b != tell))
                {
                    notices.Add(broker, p, after);
                }
            }

            if (tell is { } joined && after.Replicas.Contains(joined))
            {
                notices.Add(joined, p, after);
            }
        }

        return (changed, notices);
    }

    /// <summary>The followers of new partitions from <paramref name="firstPartition"/> on, to open their logs and fetch.</summary>
    public static RegistrationNotices ForFollowers(IReadOnlyList<PartitionRegistration> partitions, int firstPartition)
    {
        var notices = new RegistrationNotices();
        for (var p = firstPartition; p < partitions.Count; p++)
        {
            foreach (var follower in partitions[p].Replicas.Where(b => b != partitions[p].Leader))
            {
                notices.Add(follower, p, partitions[p]);
            }
        }

        return notices;
    }

    /// <summary>Sends each live broker (and the one that joined) its notices in the background, <paramref name="batchSize"/> partitions a call.</summary>
    public void Send(IGrainFactory grains, LiveBrokers brokers, ILogger logger, string topic, Guid topicId, IReadOnlyDictionary<string, string> configs, int batchSize)
    {
        if (_byBroker.Count > 0)
        {
            _ = Task.Run(() => SendAsync(grains, brokers, logger, topic, topicId, configs, batchSize), CancellationToken.None);
        }
    }

    private void Add(int broker, int partition, PartitionRegistration registration)
    {
        if (!_byBroker.TryGetValue(broker, out var list))
        {
            _byBroker[broker] = list = [];
        }

        list.Add(new PartitionRegistrationUpdate(partition, registration));
    }

    /// <summary>
    /// Sends each live broker (and the one that joined) its batches; a batch whose call failed (the broker is slow, or the grain's directory entry
    /// was on a silo that just died) is sent again every <see cref="RetryDelay"/> while the broker stays live, up to
    /// <see cref="MaxAttempts"/> times: a lost notice would leave a leader holding acks=all appends for a fenced follower
    /// or a new leader not knowing it leads. Sending again is safe: a broker ignores a registration older than the one
    /// it acts on.
    /// </summary>
    private async Task SendAsync(
        IGrainFactory grains, LiveBrokers brokers, ILogger logger, string topic, Guid topicId, IReadOnlyDictionary<string, string> configs, int batchSize)
    {
        var live = brokers.Active();
        await Task.WhenAll(_byBroker.Where(b => b.Key == _joined || live.ContainsKey(b.Key)).Select(async b =>
        {
            foreach (var batch in b.Value.Chunk(batchSize))
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await grains.GetGrain<IBrokerReplicasGrain>(b.Key).ApplyAsync(topic, topicId, configs, batch);
                        break;
                    }
                    catch (Exception e) when (e is TimeoutException or OrleansException)
                    {
                        LogTellBrokerFailed(logger, topic, b.Key, attempt, e.Message);
                        if (attempt == MaxAttempts || (b.Key != _joined && !brokers.Active().ContainsKey(b.Key)))
                        {
                            // Gone, or never answering: it learns its partitions when it joins again, or when a fetch fails.
                            return;
                        }

                        await Task.Delay(RetryDelay);
                    }
                }
            }
        }));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic} partition {Partition}: {Before} -> {After}")]
    private static partial void LogRegistrationChanged(ILogger logger, string topic, int partition, string before, string after);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topic {Topic}: could not tell broker {BrokerId} its partitions (attempt {Attempt}): {Reason}")]
    private static partial void LogTellBrokerFailed(ILogger logger, string topic, int brokerId, int attempt, string reason);
}

using Tributary.Gateway.Kafka.Brokers;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Grains.Interfaces.Brokers;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Gateway.Kafka.Partitions;

/// <summary>
/// KIP-951's leader discovery: a partition that Produce (v10+) answers NOT_LEADER_OR_FOLLOWER, or Fetch (v16+)
/// NOT_LEADER_OR_FOLLOWER or FENCED_LEADER_EPOCH, names its current leader (<see cref="LeaderHint"/>), and the response
/// carries the endpoints of the leaders it names, so that the client goes straight to the new leader instead of asking
/// Metadata first. As in Kafka's KafkaApis, the failed partitions alone are looked up, once they are answered: a
/// request whose partitions all succeed does no more work.
/// </summary>
public sealed class LeaderDiscovery(TopicCache topics, ClusterBrokers brokers, BrokerIdentity self)
{
    /// <summary>
    /// Calls <paramref name="name"/> for each failed partition whose leader or leader epoch is known, and returns the
    /// endpoints of the brokers named, in the order Metadata lists them.
    /// </summary>
    public async Task<IReadOnlyList<BrokerEndpoint>> NameLeadersAsync<TPartition>(
        string listener, IReadOnlyCollection<(string Topic, int Partition, ErrorCode Error, TPartition Response)> failed, Action<TPartition, LeaderHint> name)
    {
        if (failed.Count == 0)
        {
            return [];
        }

        var live = await brokers.LiveAsync(listener);
        var liveIds = live.Select(b => b.BrokerId).ToHashSet();
        var named = new HashSet<int>();
        foreach (var topic in failed.GroupBy(f => f.Topic))
        {
            var description = await DescribeAsync(topic.Key, topic.Where(f => f.Error == ErrorCode.NotLeaderOrFollower).Select(f => f.Partition));
            foreach (var partition in topic)
            {
                var leader = LeaderHint.Of(RegistrationOf(description, partition.Partition), liveIds);
                if (!leader.IsUnknown)
                {
                    name(partition.Response, leader);
                    named.Add(leader.LeaderId);
                }
            }
        }

        return [.. live.Where(b => named.Contains(b.BrokerId))];
    }

    /// <summary>
    /// The topic as this broker knows it. A partition grain that resigned answers NOT_LEADER_OR_FOLLOWER while the
    /// cached registration may still name this broker: the topic is then read again, once, so that the answer names
    /// the leader that replaced it rather than sending the client back here. Null when it cannot be read now: the
    /// partitions then name no leader, and the client asks Metadata as it would without KIP-951.
    /// </summary>
    private async ValueTask<TopicDescription?> DescribeAsync(string topic, IEnumerable<int> notLeader)
    {
        try
        {
            var description = await topics.DescribeAsync(topic);
            return notLeader.Any(p => RegistrationOf(description, p)?.Leader == self.BrokerId) ? await topics.RefreshAsync(topic) : description;
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            return null;
        }
    }

    private static PartitionRegistration? RegistrationOf(TopicDescription? topic, int partition) =>
        topic is not null && partition >= 0 && partition < topic.Partitions.Count ? topic.Partitions[partition] : null;
}

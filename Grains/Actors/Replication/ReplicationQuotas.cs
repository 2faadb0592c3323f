using Tributary.Grains.Actors.Brokers;
using Tributary.Grains.Replication;
using Tributary.Grains.Storage.Config;

namespace Tributary.Grains.Actors.Replication;

/// <summary>
/// This broker's two replication throttles, as Kafka's ReplicationQuotaManagers: the leader's (bytes sent to
/// catching-up followers of throttled replicas, <c>leader.replication.throttled.rate</c>) and the follower's (bytes
/// fetched for them, <c>follower.replication.throttled.rate</c>), both dynamic broker configs read at each check,
/// measured over <c>replication.quota.window.num</c> windows of <c>replication.quota.window.size.seconds</c>.
/// </summary>
public sealed class ReplicationQuotas
{
    public ReplicationQuotas(LocalBrokerConfigs brokerConfigs)
    {
        var view = brokerConfigs.View;
        var windows = view.Int(BrokerConfigs.ReplicationQuotaWindowNum);
        var windowSize = TimeSpan.FromSeconds(view.Int(BrokerConfigs.ReplicationQuotaWindowSizeSeconds));
        Leader = new ReplicationQuota(() => brokerConfigs.View.Long(BrokerConfigs.LeaderReplicationThrottledRate), windows, windowSize);
        Follower = new ReplicationQuota(() => brokerConfigs.View.Long(BrokerConfigs.FollowerReplicationThrottledRate), windows, windowSize);
    }

    public ReplicationQuota Leader { get; }

    public ReplicationQuota Follower { get; }
}

using System.Globalization;
using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Interfaces.Brokers;

namespace Tributary.Grains.Actors.Brokers;

/// <summary>The broker's settings (<see cref="TributaryOptions"/>) under Kafka's broker config names.</summary>
internal sealed class BrokerStaticConfigs(IOptions<TributaryOptions> options) : IStaticBrokerConfigSource
{
    public IEnumerable<KeyValuePair<string, string>> StaticBrokerConfigs()
    {
        var o = options.Value;
        var id = o.BrokerId.ToString(CultureInfo.InvariantCulture);
        var configs = new Dictionary<string, string>
        {
            ["broker.id"] = id,
            ["node.id"] = id,
            ["process.roles"] = "broker,controller",
            ["log.dirs"] = o.PartitionDataDirectory,
            ["num.partitions"] = Text(o.DefaultPartitions),
            ["default.replication.factor"] = Text(o.DefaultReplicationFactor),
            ["min.insync.replicas"] = Text(o.MinInSyncReplicas),
            ["auto.leader.rebalance.enable"] = o.AutoLeaderRebalance ? "true" : "false",
            ["leader.imbalance.check.interval.seconds"] = Text(Math.Max(1, (long)o.LeaderImbalanceCheckInterval.TotalSeconds)),
            ["log.retention.check.interval.ms"] = Milliseconds(o.RetentionCheckInterval),
            ["log.flush.offset.checkpoint.interval.ms"] = Milliseconds(o.LogFlushOffsetCheckpointInterval),
            ["num.recovery.threads.per.data.dir"] = Text(o.NumRecoveryThreadsPerDataDir),
            ["group.initial.rebalance.delay.ms"] = Milliseconds(o.Groups.InitialRebalanceDelay),
            ["group.min.session.timeout.ms"] = Milliseconds(o.Groups.MinSessionTimeout),
            ["group.max.session.timeout.ms"] = Milliseconds(o.Groups.MaxSessionTimeout),
            ["offsets.retention.minutes"] = Text((long)o.Groups.OffsetsRetention.TotalMinutes),
            ["offsets.topic.num.partitions"] = Text(o.Groups.OffsetsTopicNumPartitions),
            ["offsets.topic.replication.factor"] = Text(o.Groups.OffsetsTopicReplicationFactor ?? o.DefaultReplicationFactor),
            ["producer.id.expiration.ms"] = Milliseconds(o.Transactions.ProducerIdExpiration),
            ["transaction.max.timeout.ms"] = Milliseconds(o.Transactions.MaxTransactionTimeout),
            ["transactional.id.expiration.ms"] = Milliseconds(o.Transactions.TransactionalIdExpiration),
            ["transaction.abort.timed.out.transaction.cleanup.interval.ms"] = Milliseconds(o.Transactions.TimeoutCheckInterval),
            ["transaction.remove.expired.transaction.cleanup.interval.ms"] = Milliseconds(o.Transactions.ExpirationCheckInterval),
        };
        if (o.Rack is { Length: > 0 } rack)
        {
            configs["broker.rack"] = rack;
        }

        return configs;
    }

    private static string Milliseconds(TimeSpan value) => Text((long)value.TotalMilliseconds);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

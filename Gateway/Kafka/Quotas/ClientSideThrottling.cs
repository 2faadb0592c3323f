using Tributary.Gateway.Protocol.Messages;

namespace Tributary.Gateway.Kafka.Quotas;

/// <summary>
/// Which responses' clients wait out <c>throttle_time_ms</c> themselves (KIP-219, Kafka's
/// <c>shouldClientThrottle</c>): to those the broker answers at once and then reads nothing more from the connection
/// for the throttle time; to older versions, and to APIs that never adopted it, it answers only once the time is over.
/// </summary>
public static class ClientSideThrottling
{
    public static bool Applies(ApiKey key, short version) => key switch
    {
        ApiKey.Produce => version >= 6,
        ApiKey.Fetch => version >= 8,
        ApiKey.ListOffsets => version >= 3,
        ApiKey.Metadata => version >= 6,
        ApiKey.OffsetCommit or ApiKey.OffsetFetch => version >= 4,
        ApiKey.FindCoordinator or ApiKey.Heartbeat or ApiKey.LeaveGroup or ApiKey.SyncGroup or ApiKey.DescribeGroups
            or ApiKey.ListGroups or ApiKey.ApiVersions or ApiKey.DeleteTopics or ApiKey.DescribeConfigs => version >= 2,
        ApiKey.JoinGroup or ApiKey.CreateTopics => version >= 3,
        ApiKey.AddOffsetsToTxn or ApiKey.AddPartitionsToTxn or ApiKey.AlterConfigs or ApiKey.CreateAcls or ApiKey.CreatePartitions
            or ApiKey.DeleteAcls or ApiKey.DeleteGroups or ApiKey.DeleteRecords or ApiKey.DescribeAcls or ApiKey.DescribeLogDirs
            or ApiKey.EndTxn or ApiKey.InitProducerId or ApiKey.TxnOffsetCommit => version >= 1,
        ApiKey.IncrementalAlterConfigs or ApiKey.OffsetDelete or ApiKey.AlterPartitionReassignments or ApiKey.ListPartitionReassignments
            or ApiKey.AlterUserScramCredentials or ApiKey.DescribeUserScramCredentials or ApiKey.DescribeTopicPartitions
            or ApiKey.ElectLeaders => true,
        _ => false,
    };
}

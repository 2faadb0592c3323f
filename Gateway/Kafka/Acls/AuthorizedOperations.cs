using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Acls;

/// <summary>
/// The <c>*AuthorizedOperations</c> bit sets of Metadata, DescribeCluster, DescribeGroups and DescribeTopicPartitions
/// (bit n set for the ACL operation of code n, as Kafka's <c>Utils.to32BitField</c> packs them): every operation the
/// resource type supports (<c>AclEntry.supportedOperations</c>), of which <see cref="BrokerAuthorizer.AuthorizedOperations"/>
/// keeps those the principal may do; <see cref="NotRequested"/> is the protocol's default when a request does not ask
/// for them.
/// </summary>
public static class AuthorizedOperations
{
    /// <summary>The value of a field the request did not ask for (INT32_MIN).</summary>
    public const int NotRequested = int.MinValue;

    /// <summary>READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, DESCRIBE_CONFIGS, ALTER_CONFIGS.</summary>
    public static readonly int Topic = Bits(
        AclOperation.Read, AclOperation.Write, AclOperation.Create, AclOperation.Delete,
        AclOperation.Alter, AclOperation.Describe, AclOperation.DescribeConfigs, AclOperation.AlterConfigs);

    /// <summary>READ, DELETE, DESCRIBE.</summary>
    public static readonly int Group = Bits(AclOperation.Read, AclOperation.Delete, AclOperation.Describe);

    /// <summary>CREATE, ALTER, DESCRIBE, CLUSTER_ACTION, DESCRIBE_CONFIGS, ALTER_CONFIGS, IDEMPOTENT_WRITE.</summary>
    public static readonly int Cluster = Bits(
        AclOperation.Create, AclOperation.Alter, AclOperation.Describe, AclOperation.ClusterAction,
        AclOperation.DescribeConfigs, AclOperation.AlterConfigs, AclOperation.IdempotentWrite);

    /// <summary>The resource's operations when <paramref name="requested"/>, else <see cref="NotRequested"/>.</summary>
    public static int When(bool requested, int operations) => requested ? operations : NotRequested;

    private static int Bits(params AclOperation[] operations) => operations.Aggregate(0, (bits, operation) => bits | (1 << (int)operation));
}

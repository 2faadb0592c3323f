using Tributary.Gateway.Kafka.Acls;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Topics;

/// <summary>
/// Kafka's authorization of a config resource of DescribeConfigs (DESCRIBE_CONFIGS) and of AlterConfigs and
/// IncrementalAlterConfigs (ALTER_CONFIGS): a TOPIC needs the operation on the topic (TOPIC_AUTHORIZATION_FAILED), a
/// GROUP on the group (GROUP_AUTHORIZATION_FAILED), a BROKER, BROKER_LOGGER or CLIENT_METRICS on the cluster
/// (CLUSTER_AUTHORIZATION_FAILED). It is checked before the resource's name or existence, so a refused client learns
/// nothing of it.
/// </summary>
internal static class ConfigResourceAcls
{
    // Not served here (they are answered INVALID_REQUEST), but authorized first as Kafka authorizes them.
    private const sbyte ClientMetrics = 16;
    private const sbyte Group = 32;

    /// <summary>
    /// The error, with Kafka's message, for a resource the principal may not do <paramref name="operation"/> to; null
    /// when it may, or when the resource type is none Kafka knows (the handler refuses it as before).
    /// </summary>
    public static (ErrorCode Error, string Message)? Refusal(
        BrokerAuthorizer authorizer, KafkaRequest request, AclOperation operation, sbyte resourceType, string resourceName) => resourceType switch
    {
        (sbyte)ConfigResourceType.Topic => authorizer.Authorize(request, operation, AclResourceType.Topic, resourceName)
            ? null
            : (ErrorCode.TopicAuthorizationFailed, "Topic authorization failed."),
        Group => authorizer.Authorize(request, operation, AclResourceType.Group, resourceName)
            ? null
            : (ErrorCode.GroupAuthorizationFailed, "Group authorization failed."),
        (sbyte)ConfigResourceType.Broker or (sbyte)ConfigResourceType.BrokerLogger or ClientMetrics =>
            authorizer.Authorize(request, operation, AclResourceType.Cluster, AclBinding.ClusterName)
                ? null
                : (ErrorCode.ClusterAuthorizationFailed, "Cluster authorization failed."),
        _ => null,
    };
}

using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Acls;

/// <summary>What the ACL APIs answer before looking at ACLs: SECURITY_DISABLED without an authorizer, CLUSTER_AUTHORIZATION_FAILED without the right on the cluster.</summary>
public static class AclRequests
{
    public static (ErrorCode Error, string Message)? Refusal(BrokerAuthorizer authorizer, KafkaRequest request, AclOperation operation) =>
        !authorizer.Enabled ? (ErrorCode.SecurityDisabled, "No Authorizer is configured on the broker")
        : !authorizer.Authorize(request, operation, AclResourceType.Cluster, AclBinding.ClusterName)
            ? (ErrorCode.ClusterAuthorizationFailed, "Cluster authorization failed.")
        : null;
}

using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Security;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// DescribeAcls (29): the ACLs a filter names, grouped by resource as Kafka groups them. It needs DESCRIBE on the
/// cluster (CLUSTER_AUTHORIZATION_FAILED); without an authorizer, SECURITY_DISABLED. Version 0 knows only literal
/// resource names.
/// </summary>
public sealed class DescribeAclsHandler(IGrainFactory grains, BrokerAuthorizer authorizer)
    : KafkaApiHandler<DescribeAclsRequest, DescribeAclsResponse>
{
    public override ApiKey ApiKey => ApiKey.DescribeAcls;

    public override short MinVersion => 0;

    public override short MaxVersion => 3;

    protected override async Task<DescribeAclsResponse?> HandleAsync(DescribeAclsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (AclRequests.Refusal(authorizer, request, AclOperation.Describe) is { } refusal)
        {
            return new DescribeAclsResponse { ErrorCode = (short)refusal.Error, ErrorMessage = refusal.Message };
        }

        var filter = new AclBindingFilter(
            (AclResourceType)body.ResourceTypeFilter, body.ResourceNameFilter, (AclPatternType)body.PatternTypeFilter,
            body.PrincipalFilter, body.HostFilter, (AclOperation)body.Operation, (AclPermission)body.PermissionType);
        var found = await grains.GetGrain<IAclsGrain>((long)AclScope.Kafka).DescribeAsync(filter);
        return new DescribeAclsResponse
        {
            ErrorCode = (short)found.Error,
            ErrorMessage = found.Message,
            Resources = found.Bindings
                .GroupBy(b => (b.ResourceType, b.ResourceName, b.PatternType))
                .Select(g => new DescribeAclsResponse.DescribeAclsResource
                {
                    ResourceType = (sbyte)g.Key.ResourceType,
                    ResourceName = g.Key.ResourceName,
                    PatternType = (sbyte)g.Key.PatternType,
                    Acls = g.Select(b => new DescribeAclsResponse.AclDescription
                    {
                        Principal = b.Principal, Host = b.Host, Operation = (sbyte)b.Operation, PermissionType = (sbyte)b.Permission,
                    }).ToList(),
                }).ToList(),
        };
    }
}

using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Security;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// DeleteAcls (31): removes every ACL each filter names and says which. It needs ALTER on the cluster
/// (CLUSTER_AUTHORIZATION_FAILED); without an authorizer, SECURITY_DISABLED. This broker stops enforcing the removed
/// ACLs before it answers; the others within a second.
/// </summary>
public sealed class DeleteAclsHandler(IGrainFactory grains, BrokerAuthorizer authorizer)
    : KafkaApiHandler<DeleteAclsRequest, DeleteAclsResponse>
{
    public override ApiKey ApiKey => ApiKey.DeleteAcls;

    public override short MinVersion => 0;

    public override short MaxVersion => 3;

    protected override async Task<DeleteAclsResponse?> HandleAsync(DeleteAclsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (AclRequests.Refusal(authorizer, request, AclOperation.Alter) is { } refusal)
        {
            return new DeleteAclsResponse
            {
                FilterResults = body.Filters.Select(_ => new DeleteAclsResponse.DeleteAclsFilterResult
                {
                    ErrorCode = (short)refusal.Error, ErrorMessage = refusal.Message,
                }).ToList(),
            };
        }

        var filters = body.Filters.Select(f => new AclBindingFilter(
            (AclResourceType)f.ResourceTypeFilter, f.ResourceNameFilter, (AclPatternType)f.PatternTypeFilter,
            f.PrincipalFilter, f.HostFilter, (AclOperation)f.Operation, (AclPermission)f.PermissionType)).ToList();
        var outcomes = await grains.GetGrain<IAclsGrain>((long)AclScope.Kafka).DeleteAsync(filters);
        await authorizer.RefreshAsync(cancellationToken);
        return new DeleteAclsResponse
        {
            FilterResults = outcomes.Select(o => new DeleteAclsResponse.DeleteAclsFilterResult
            {
                ErrorCode = (short)o.Error,
                ErrorMessage = o.Message,
                MatchingAcls = o.Bindings.Select(b => new DeleteAclsResponse.DeleteAclsMatchingAcl
                {
                    ErrorMessage = null,
                    ResourceType = (sbyte)b.ResourceType,
                    ResourceName = b.ResourceName,
                    PatternType = (sbyte)b.PatternType,
                    Principal = b.Principal,
                    Host = b.Host,
                    Operation = (sbyte)b.Operation,
                    PermissionType = (sbyte)b.Permission,
                }).ToList(),
            }).ToList(),
        };
    }
}

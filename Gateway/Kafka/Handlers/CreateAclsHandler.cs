using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Security;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// CreateAcls (30): adds ACLs to the cluster, each checked as Kafka checks it (INVALID_REQUEST with the reason); one
/// that exists already is not added twice. It needs ALTER on the cluster (CLUSTER_AUTHORIZATION_FAILED); without an
/// authorizer, SECURITY_DISABLED. This broker enforces the new ACLs before it answers; the others within a second.
/// </summary>
public sealed class CreateAclsHandler(IGrainFactory grains, BrokerAuthorizer authorizer)
    : KafkaApiHandler<CreateAclsRequest, CreateAclsResponse>
{
    public override ApiKey ApiKey => ApiKey.CreateAcls;

    public override short MinVersion => 0;

    public override short MaxVersion => 3;

    protected override async Task<CreateAclsResponse?> HandleAsync(CreateAclsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (AclRequests.Refusal(authorizer, request, AclOperation.Alter) is { } refusal)
        {
            return new CreateAclsResponse
            {
                Results = body.Creations.Select(_ => new CreateAclsResponse.AclCreationResult
                {
                    ErrorCode = (short)refusal.Error, ErrorMessage = refusal.Message,
                }).ToList(),
            };
        }

        var bindings = body.Creations.Select(c => new AclBinding(
            (AclResourceType)c.ResourceType, c.ResourceName, (AclPatternType)c.ResourcePatternType,
            c.Principal, c.Host, (AclOperation)c.Operation, (AclPermission)c.PermissionType)).ToList();
        var outcomes = await grains.GetGrain<IAclsGrain>((long)AclScope.Kafka).CreateAsync(bindings);
        await authorizer.RefreshAsync(cancellationToken);
        return new CreateAclsResponse
        {
            Results = outcomes.Select(o => new CreateAclsResponse.AclCreationResult { ErrorCode = (short)o.Error, ErrorMessage = o.Message }).ToList(),
        };
    }
}

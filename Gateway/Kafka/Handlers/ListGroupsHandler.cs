using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Groups;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// ListGroups (16): every group, filtered by state (v4+) and type (v5+; all groups here are "classic"). With DESCRIBE on
/// the cluster a principal sees every group, else only the groups it may DESCRIBE.
/// </summary>
public sealed class ListGroupsHandler(IGrainFactory grains, BrokerAuthorizer authorizer) : KafkaApiHandler<ListGroupsRequest, ListGroupsResponse>
{
    private const string Classic = "classic";

    public override ApiKey ApiKey => ApiKey.ListGroups;

    public override short MinVersion => 0;

    public override short MaxVersion => 5;

    protected override async Task<ListGroupsResponse?> HandleAsync(ListGroupsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var everyGroup = authorizer.Authorize(request, AclOperation.Describe, AclResourceType.Cluster, AclBinding.ClusterName, logIfDenied: false);
        var groups = await grains.GetGrain<IGroupCatalogGrain>(0).ListAsync();
        var states = request.ApiVersion >= 4 ? body.StatesFilter : [];
        var types = request.ApiVersion >= 5 ? body.TypesFilter : [];
        return new ListGroupsResponse
        {
            Groups = groups
                .Where(g => states.Count == 0 || states.Contains(g.State, StringComparer.OrdinalIgnoreCase))
                .Where(_ => types.Count == 0 || types.Contains(Classic, StringComparer.OrdinalIgnoreCase))
                .Where(g => everyGroup || authorizer.Authorize(request, AclOperation.Describe, AclResourceType.Group, g.GroupId, logIfDenied: false))
                .Select(g => new ListGroupsResponse.ListedGroup { GroupId = g.GroupId, ProtocolType = g.ProtocolType, GroupState = g.State, GroupType = Classic })
                .ToList(),
        };
    }
}

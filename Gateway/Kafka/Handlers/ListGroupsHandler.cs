using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Groups;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>ListGroups (16): every group, filtered by state (v4+) and type (v5+; all groups here are "classic").</summary>
public sealed class ListGroupsHandler(IGrainFactory grains) : KafkaApiHandler<ListGroupsRequest, ListGroupsResponse>
{
    private const string Classic = "classic";

    public override ApiKey ApiKey => ApiKey.ListGroups;

    public override short MinVersion => 0;

    public override short MaxVersion => 5;

    protected override async Task<ListGroupsResponse?> HandleAsync(ListGroupsRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var groups = await grains.GetGrain<IGroupCatalogGrain>(0).ListAsync();
        var states = request.ApiVersion >= 4 ? body.StatesFilter : [];
        var types = request.ApiVersion >= 5 ? body.TypesFilter : [];
        return new ListGroupsResponse
        {
            Groups = groups
                .Where(g => states.Count == 0 || states.Contains(g.State, StringComparer.OrdinalIgnoreCase))
                .Where(_ => types.Count == 0 || types.Contains(Classic, StringComparer.OrdinalIgnoreCase))
                .Select(g => new ListGroupsResponse.ListedGroup { GroupId = g.GroupId, ProtocolType = g.ProtocolType, GroupState = g.State, GroupType = Classic })
                .ToList(),
        };
    }
}

using Tributary.Grains.Interfaces.Groups;

using Tributary.Grains.Groups;

using Tributary.Grains.Actors.Persistence;

namespace Tributary.Grains.Actors.Groups;

/// <summary>
/// Every group with its protocol type and state, for ListGroups; groups report their changes here. What is stored is
/// each group's existence, protocol type and last settled state (Stable or Empty, the states a group's membership is
/// stored in); the passing states of a rebalance are held in memory only, so that a rebalance writes nothing here.
/// </summary>
public sealed class GroupCatalogGrain(
    [PersistentState("groups", GrainStorageNames.ControlPlane)] IPersistentState<GroupCatalogState> state)
    : Grain, IGroupCatalogGrain
{
    private readonly Dictionary<string, GroupListing> _rebalancing = new(StringComparer.Ordinal);

    public async Task UpdateAsync(string groupId, string? protocolType, string groupState)
    {
        if (groupState == nameof(GroupState.Dead))
        {
            // As Kafka's coordinator, which drops a group from its cache as it dies: a Dead group is not listed.
            await RemoveAsync(groupId);
            return;
        }

        var listing = new GroupListing(groupId, protocolType ?? "", groupState);
        var stored = state.State.Groups.GetValueOrDefault(groupId);
        var settled = IsSettled(groupState) ? listing : listing with { State = stored?.State ?? nameof(GroupState.Empty) };
        if (IsSettled(groupState))
        {
            _rebalancing.Remove(groupId);
        }
        else
        {
            _rebalancing[groupId] = listing;
        }

        if (settled != stored)
        {
            state.State.Groups[groupId] = settled;
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(string groupId)
    {
        _rebalancing.Remove(groupId);
        if (state.State.Groups.Remove(groupId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<GroupListing>> ListAsync() =>
        Task.FromResult<IReadOnlyList<GroupListing>>(state.State.Groups.Values
            .Select(g => _rebalancing.GetValueOrDefault(g.GroupId) ?? g)
            .OrderBy(g => g.GroupId, StringComparer.Ordinal)
            .ToList());

    private static bool IsSettled(string groupState) => groupState is nameof(GroupState.Stable) or nameof(GroupState.Empty);
}

[GenerateSerializer, Alias("Tributary.Grains.GroupCatalogState")]
public sealed class GroupCatalogState
{
    [Id(0)]
    public Dictionary<string, GroupListing> Groups { get; set; } = new(StringComparer.Ordinal);
}

using Tributary.Grains.Interfaces.Groups;

namespace Tributary.Grains.Groups;

/// <summary>Every group with its protocol type and state, durable, for ListGroups; groups report their changes here.</summary>
public sealed class GroupCatalogGrain(
    [PersistentState("groups", GrainStorageNames.ControlPlane)] IPersistentState<GroupCatalogState> state)
    : Grain, IGroupCatalogGrain
{
    public async Task UpdateAsync(string groupId, string? protocolType, string groupState)
    {
        var listing = new GroupListing(groupId, protocolType ?? "", groupState);
        if (!state.State.Groups.TryGetValue(groupId, out var known) || known != listing)
        {
            state.State.Groups[groupId] = listing;
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(string groupId)
    {
        if (state.State.Groups.Remove(groupId))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<GroupListing>> ListAsync() =>
        Task.FromResult<IReadOnlyList<GroupListing>>(state.State.Groups.Values.OrderBy(g => g.GroupId, StringComparer.Ordinal).ToList());
}

[GenerateSerializer, Alias("Tributary.Grains.GroupCatalogState")]
public sealed class GroupCatalogState
{
    [Id(0)]
    public Dictionary<string, GroupListing> Groups { get; set; } = new(StringComparer.Ordinal);
}

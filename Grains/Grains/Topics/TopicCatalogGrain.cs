using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Grains.Topics;

/// <summary>The set of topic names, durable, for listing; each topic grain registers itself here.</summary>
public sealed class TopicCatalogGrain(
    [PersistentState("catalog", GrainStorageNames.ControlPlane)] IPersistentState<TopicCatalogState> state)
    : Grain, ITopicCatalogGrain
{
    public async Task AddAsync(string topic)
    {
        if (state.State.Topics.Add(topic))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(string topic)
    {
        if (state.State.Topics.Remove(topic))
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> ListAsync() =>
        Task.FromResult<IReadOnlyList<string>>(state.State.Topics.Order(StringComparer.Ordinal).ToList());
}

[GenerateSerializer, Alias("Tributary.Grains.TopicCatalogState")]
public sealed class TopicCatalogState
{
    [Id(0)]
    public HashSet<string> Topics { get; set; } = new(StringComparer.Ordinal);
}

using Tributary.Grains.Interfaces.Topics;

using Tributary.Grains.Actors.Persistence;

namespace Tributary.Grains.Actors.Topics;

/// <summary>The topics by name and id, durable, for listing; each topic grain registers itself here.</summary>
public sealed class TopicCatalogGrain(
    [PersistentState("catalog", GrainStorageNames.ControlPlane)] IPersistentState<TopicCatalogState> state)
    : Grain, ITopicCatalogGrain
{
    public async Task AddAsync(string topic, Guid topicId)
    {
        if (!state.State.Topics.TryGetValue(topic, out var known) || known != topicId)
        {
            state.State.Topics[topic] = topicId;
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
        Task.FromResult<IReadOnlyList<string>>(state.State.Topics.Keys.Order(StringComparer.Ordinal).ToList());

    public Task<string?> FindByIdAsync(Guid topicId) =>
        Task.FromResult<string?>(state.State.Topics.FirstOrDefault(t => t.Value == topicId).Key);
}

[GenerateSerializer, Alias("Tributary.Grains.TopicCatalogState")]
public sealed class TopicCatalogState
{
    /// <summary>Topic ids by name.</summary>
    [Id(0)]
    public Dictionary<string, Guid> Topics { get; set; } = new(StringComparer.Ordinal);
}

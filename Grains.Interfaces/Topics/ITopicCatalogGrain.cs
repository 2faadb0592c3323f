namespace Tributary.Grains.Interfaces.Topics;

/// <summary>Every topic in the cluster by name and id, for listing and for requests that name topics by id. One instance, key 0.</summary>
[Alias("Tributary.Topics.ITopicCatalogGrain")]
public interface ITopicCatalogGrain : IGrainWithIntegerKey
{
    [Alias("Add")]
    Task AddAsync(string topic, Guid topicId);

    /// <summary>The name of the topic with this id, or null.</summary>
    [Alias("FindById")]
    Task<string?> FindByIdAsync(Guid topicId);

    [Alias("Remove")]
    Task RemoveAsync(string topic);

    [Alias("List")]
    Task<IReadOnlyList<string>> ListAsync();
}

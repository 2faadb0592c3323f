namespace Tributary.Grains.Interfaces.Topics;

/// <summary>The names of every topic in the cluster, for listing. One instance, key 0.</summary>
[Alias("Tributary.Topics.ITopicCatalogGrain")]
public interface ITopicCatalogGrain : IGrainWithIntegerKey
{
    [Alias("Add")]
    Task AddAsync(string topic);

    [Alias("Remove")]
    Task RemoveAsync(string topic);

    [Alias("List")]
    Task<IReadOnlyList<string>> ListAsync();
}

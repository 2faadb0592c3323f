namespace Tributary.Grains.Interfaces.Topics;

/// <summary>
/// Every topic in the cluster by name and id, for listing and for requests that name topics by id, and the cluster's
/// count of topics and partitions (on each broker too), against which creating topics and partitions is checked. A topic
/// being deleted is no longer listed, but its name and partitions count until its deletion completes. One instance,
/// key 0.
/// </summary>
[Alias("Tributary.Topics.ITopicCatalogGrain")]
public interface ITopicCatalogGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Records a topic as it is, whatever the limits (a topic grain registers itself when it activates, so that a crash
    /// between its writes and the catalog's leaves neither wrong for long).
    /// </summary>
    [Alias("Register")]
    Task RegisterAsync(string topic, Guid topicId, TopicFootprint footprint, bool deleting);

    /// <summary>
    /// Checks that the topic may take <paramref name="footprint"/> (all its partitions, grown or new) within the
    /// cluster's limits of topics and partitions, and unless <paramref name="validateOnly"/> records it: POLICY_VIOLATION
    /// with a message naming the limit otherwise. An entry of the same name with another id (left by a crash) is replaced.
    /// </summary>
    [Alias("Reserve")]
    Task<TopicAdminResult> ReserveAsync(string topic, Guid topicId, TopicFootprint footprint, bool validateOnly);

    /// <summary>The name of the topic with this id, or null (a topic being deleted has none).</summary>
    [Alias("FindById")]
    Task<string?> FindByIdAsync(Guid topicId);

    /// <summary>The topic is being deleted: no longer listed nor found by id; its name and partitions still count.</summary>
    [Alias("MarkDeleting")]
    Task MarkDeletingAsync(string topic, Guid topicId);

    /// <summary>Forgets the topic with this id (its deletion completed); an entry of the name with another id stays.</summary>
    [Alias("Remove")]
    Task RemoveAsync(string topic, Guid topicId);

    /// <summary>The topics that exist, by name (ordinal order); those being deleted are not listed.</summary>
    [Alias("List")]
    Task<IReadOnlyList<string>> ListAsync();

    /// <summary>The topics being deleted, whose deletion a restart must resume.</summary>
    [Alias("ListDeleting")]
    Task<IReadOnlyList<string>> ListDeletingAsync();
}

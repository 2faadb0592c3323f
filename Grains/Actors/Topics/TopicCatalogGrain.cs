using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Actors.Persistence;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Grains.Actors.Topics;

/// <summary>
/// The topics by name and id, durable, for listing, and the cluster's counts of topics and partitions that
/// <see cref="LimitsOptions"/> bound. Each topic grain reserves its partitions here before it stores them, and registers
/// itself again when it activates, so that the counts heal after a crash between the two writes (a topic stored before
/// the counts existed is counted from its first activation). Not reentrant: a reservation is checked and recorded
/// before the next one is looked at.
/// </summary>
public sealed class TopicCatalogGrain(
    [PersistentState("catalog", GrainStorageNames.ControlPlane)] IPersistentState<TopicCatalogState> state,
    IOptions<TributaryOptions> options)
    : Grain, ITopicCatalogGrain
{
    private int _partitions;
    private Dictionary<int, int> _partitionsByBroker = [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Recount();
        return Task.CompletedTask;
    }

    public async Task RegisterAsync(string topic, Guid topicId, TopicFootprint footprint, bool deleting)
    {
        var listed = state.State.Topics.TryGetValue(topic, out var known) && known == topicId;
        var marked = state.State.Deleting.TryGetValue(topic, out var doomed) && doomed == topicId;
        if ((deleting ? marked && !state.State.Topics.ContainsKey(topic) : listed && !state.State.Deleting.ContainsKey(topic))
            && state.State.Footprints.TryGetValue(topic, out var recorded) && SameAs(recorded, footprint))
        {
            return;
        }

        Record(topic, topicId, footprint, deleting);
        await state.WriteStateAsync();
    }

    public async Task<TopicAdminResult> ReserveAsync(string topic, Guid topicId, TopicFootprint footprint, bool validateOnly)
    {
        var same = state.State.Topics.TryGetValue(topic, out var known) && known == topicId;
        var previous = same ? state.State.Footprints.GetValueOrDefault(topic) ?? TopicFootprint.None : TopicFootprint.None;
        var replaced = !same && state.State.Footprints.TryGetValue(topic, out var stale) ? stale : TopicFootprint.None;
        var limits = options.Value.Limits;

        var topics = state.State.Topics.Count + state.State.Deleting.Count(d => !state.State.Topics.ContainsKey(d.Key));
        if (!same && !state.State.Topics.ContainsKey(topic) && !state.State.Deleting.ContainsKey(topic) && topics >= limits.MaxTopics)
        {
            return Refuse($"The cluster has {topics} topics, the most Tributary:Limits:MaxTopics allows ({limits.MaxTopics}).");
        }

        var total = (long)_partitions - replaced.Partitions - previous.Partitions + footprint.Partitions;
        if (footprint.Partitions > previous.Partitions && total > limits.MaxPartitions)
        {
            return Refuse($"{footprint.Partitions - previous.Partitions} more partitions would bring the cluster to {total}, over Tributary:Limits:MaxPartitions ({limits.MaxPartitions}).");
        }

        foreach (var (broker, count) in footprint.PartitionsByBroker)
        {
            var before = previous.PartitionsByBroker.GetValueOrDefault(broker);
            var onBroker = (long)_partitionsByBroker.GetValueOrDefault(broker) - replaced.PartitionsByBroker.GetValueOrDefault(broker) - before + count;
            if (count > before && onBroker > limits.MaxPartitionsPerBroker)
            {
                return Refuse($"{count - before} more partitions on broker {broker} would bring it to {onBroker}, over Tributary:Limits:MaxPartitionsPerBroker ({limits.MaxPartitionsPerBroker}).");
            }
        }

        if (!validateOnly)
        {
            Record(topic, topicId, footprint, deleting: false);
            await state.WriteStateAsync();
        }

        return TopicAdminResult.Ok;
    }

    public async Task MarkDeletingAsync(string topic, Guid topicId)
    {
        if (state.State.Topics.TryGetValue(topic, out var known) && known == topicId)
        {
            state.State.Topics.Remove(topic);
            state.State.Deleting[topic] = topicId;
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(string topic, Guid topicId)
    {
        var listed = state.State.Topics.TryGetValue(topic, out var known) && known == topicId;
        var deleting = state.State.Deleting.TryGetValue(topic, out var doomed) && doomed == topicId;
        if (!listed && !deleting)
        {
            return;
        }

        if (listed)
        {
            state.State.Topics.Remove(topic);
        }

        if (deleting)
        {
            state.State.Deleting.Remove(topic);
        }

        // The partitions of a newer topic of that name (listed under another id) are its own.
        if (!state.State.Topics.ContainsKey(topic) && !state.State.Deleting.ContainsKey(topic))
        {
            state.State.Footprints.Remove(topic);
        }

        Recount();
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> ListAsync() =>
        Task.FromResult<IReadOnlyList<string>>(state.State.Topics.Keys.Order(StringComparer.Ordinal).ToList());

    public Task<IReadOnlyList<string>> ListDeletingAsync() =>
        Task.FromResult<IReadOnlyList<string>>(state.State.Deleting.Keys.Order(StringComparer.Ordinal).ToList());

    public Task<string?> FindByIdAsync(Guid topicId) =>
        Task.FromResult<string?>(state.State.Topics.FirstOrDefault(t => t.Value == topicId).Key);

    /// <summary>Makes <paramref name="topic"/> the topic of this id with this footprint, listed or being deleted.</summary>
    private void Record(string topic, Guid topicId, TopicFootprint footprint, bool deleting)
    {
        if (deleting)
        {
            state.State.Topics.Remove(topic);
            state.State.Deleting[topic] = topicId;
        }
        else
        {
            state.State.Deleting.Remove(topic);
            state.State.Topics[topic] = topicId;
        }

        state.State.Footprints[topic] = footprint;
        Recount();
    }

    /// <summary>The cluster's partitions, in all and by broker, from every topic's footprint.</summary>
    private void Recount()
    {
        _partitions = 0;
        _partitionsByBroker = [];
        foreach (var footprint in state.State.Footprints.Values)
        {
            _partitions += footprint.Partitions;
            foreach (var (broker, count) in footprint.PartitionsByBroker)
            {
                _partitionsByBroker[broker] = _partitionsByBroker.GetValueOrDefault(broker) + count;
            }
        }
    }

    private static bool SameAs(TopicFootprint a, TopicFootprint b) =>
        a.Partitions == b.Partitions
        && a.PartitionsByBroker.Count == b.PartitionsByBroker.Count
        && a.PartitionsByBroker.All(e => b.PartitionsByBroker.TryGetValue(e.Key, out var count) && count == e.Value);

    private static TopicAdminResult Refuse(string message) => new(ErrorCode.PolicyViolation, message);
}

[GenerateSerializer, Alias("Tributary.Grains.TopicCatalogState")]
public sealed class TopicCatalogState
{
    /// <summary>The topics that exist (being deleted ones excepted), ids by name.</summary>
    [Id(0)]
    public Dictionary<string, Guid> Topics { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Every recorded topic's partitions, in all and by broker: listed topics and those being deleted.</summary>
    [Id(1)]
    public Dictionary<string, TopicFootprint> Footprints { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The topics being deleted, ids by name: not listed, but their names and partitions still count.</summary>
    [Id(2)]
    public Dictionary<string, Guid> Deleting { get; set; } = new(StringComparer.Ordinal);
}

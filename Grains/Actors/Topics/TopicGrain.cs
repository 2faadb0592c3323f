using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.Actors.Brokers;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Interfaces.Brokers;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.Actors.Placement;
using Tributary.Grains.Storage.Config;
using Tributary.Grains.Actors.Persistence;
using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Grains.Actors.Topics;

/// <summary>
/// A topic's metadata, durable in the control-plane store: id, partition count, config overrides validated against
/// Kafka's definitions, and each partition's registration: its replicas, placed on the live brokers at creation (as
/// many as the replication factor asked for, or <c>default.replication.factor</c>; partitions added later take the
/// topic's) or named by the client (Kafka's manual replica assignment), its in-sync replicas and leader. Creating
/// partitions only records them: a partition's grain and directory come into being when it is first used. Partition counts are checked against the limits
/// (<see cref="LimitsOptions"/>): the topic's own here, the cluster's and each broker's by the topic catalog, where the
/// partitions are reserved before they are stored.
/// </summary>
public sealed partial class TopicGrain(
    [PersistentState("topic", GrainStorageNames.ControlPlane)] IPersistentState<TopicState> state,
    LiveBrokers brokers,
    LocalBrokerConfigs brokerConfigs,
    IOptions<TributaryOptions> options,
    ILogger<TopicGrain> logger)
    : Grain, ITopicGrain
{
    /// <summary>The description handed out until the state changes (a large topic's is not copied at every call).</summary>
    private TopicDescription? _description;

    private string Name => this.GetPrimaryKeyString();

    private ITopicCatalogGrain Catalog => GrainFactory.GetGrain<ITopicCatalogGrain>(0);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        state.State.Upgrade();

        // A crash between the catalog's write and the topic's leaves the catalog behind; registering is idempotent.
        if (state.State.Exists || state.State.PendingDeletion)
        {
            await Catalog.RegisterAsync(Name, state.State.TopicId, TopicFootprint.Of(state.State.Partitions), state.State.PendingDeletion);
        }

        if (state.State.PendingDeletion)
        {
            StartDeletion();
        }
    }

    public async Task<CreateTopicResult> CreateAsync(CreateTopicRequest request)
    {
        if (TopicNames.Validate(Name) is { } nameError)
        {
            return Fail(ErrorCode.InvalidTopicException, nameError);
        }

        if (state.State.PendingDeletion)
        {
            // Kafka's controller (ZooKeeper mode) refuses a name whose deletion has not completed.
            return Fail(ErrorCode.TopicAlreadyExists, $"Topic '{Name}' is marked for deletion.");
        }

        if (state.State.Exists)
        {
            return Fail(ErrorCode.TopicAlreadyExists, $"Topic '{Name}' already exists.");
        }

        var live = brokers.Active();
        IReadOnlyList<IReadOnlyList<int>>? assigned = null;
        if (request.Assignments is { Count: > 0 } assignments)
        {
            if (TooManyPartitions(assignments.Count) is { } tooMany)
            {
                return Fail(ErrorCode.InvalidPartitions, tooMany);
            }

            var registered = await NewPartitionPlacement.RegisteredBrokersAsync(GrainFactory, live);
            var decision = ReplicaAssignmentRules.ForNewTopic(
                request.PartitionCount, request.ReplicationFactor, assignments, registered.Keys.ToHashSet(), live.Keys.ToHashSet());
            if (decision.Error != ErrorCode.None)
            {
                return Fail(decision.Error, decision.Message!);
            }

            assigned = decision.Replicas;
        }
        else
        {
            if (request.PartitionCount is 0 or < -1)
            {
                return Fail(ErrorCode.InvalidPartitions, "Number of partitions must be larger than 0.");
            }

            if (request.ReplicationFactor is 0 or < -1)
            {
                return Fail(ErrorCode.InvalidReplicationFactor, "Replication factor must be larger than 0.");
            }
        }

        if (TopicConfigs.Validate(request.Configs) is { } configError)
        {
            return Fail(ErrorCode.InvalidConfig, configError);
        }

        var partitions = assigned?.Count ?? (request.PartitionCount == -1 ? brokerConfigs.NumPartitions : request.PartitionCount);
        if (TooManyPartitions(partitions) is { } overLimit)
        {
            return Fail(ErrorCode.InvalidPartitions, overLimit);
        }

        if (assigned is null)
        {
            var replicationFactor = request.ReplicationFactor == -1 ? brokerConfigs.DefaultReplicationFactor : request.ReplicationFactor;
            var placed = await NewPartitionPlacement.PlaceAsync(GrainFactory, Name, partitions, replicationFactor, firstPartition: 0, live);
            if (placed.Error != ErrorCode.None)
            {
                return Fail(placed.Error, placed.Message!);
            }

            assigned = placed.Replicas;
        }

        var description = new TopicDescription(
            Name,
            Guid.NewGuid(),
            partitions,
            request.Configs.ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal),
            NewPartitionPlacement.Register(assigned, live));
        var reserved = await Catalog.ReserveAsync(Name, description.TopicId, TopicFootprint.Of(description.Partitions), request.ValidateOnly);
        if (reserved.Error != ErrorCode.None)
        {
            return Fail(reserved.Error, reserved.ErrorMessage!);
        }

        if (request.ValidateOnly)
        {
            return new CreateTopicResult(ErrorCode.None, null, description);
        }

        state.State = new TopicState
        {
            TopicId = description.TopicId,
            PartitionCount = description.PartitionCount,
            Configs = new Dictionary<string, string>(description.Configs, StringComparer.Ordinal),
            Partitions = [.. description.Partitions],
        };
        await SaveAsync();
        TellFollowersOfNewPartitions(0);
        return new CreateTopicResult(ErrorCode.None, null, description);
    }

    public Task<TopicDescription?> DescribeAsync()
    {
        if (!state.State.Exists)
        {
            return Task.FromResult<TopicDescription?>(null);
        }

        return Task.FromResult<TopicDescription?>(_description ??= new TopicDescription(
            Name,
            state.State.TopicId,
            state.State.PartitionCount,
            new Dictionary<string, string>(state.State.Configs, StringComparer.Ordinal),
            state.State.Partitions.ToArray()));
    }

    public async Task<PartitionDescription?> DescribePartitionAsync(int partition)
    {
        var description = await DescribeAsync();
        return description is null || partition < 0 || partition >= description.PartitionCount
            ? null
            : new PartitionDescription(description.TopicId, description.PartitionBrokers[partition], description.Configs, description.Partitions[partition]);
    }

    public Task<TopicAdminResult> CreatePartitionsAsync(int totalCount, bool validateOnly) => CreatePartitionsAsync(totalCount, null, validateOnly);

    public async Task<TopicAdminResult> CreatePartitionsAsync(int totalCount, IReadOnlyList<IReadOnlyList<int>>? assignments, bool validateOnly)
    {
        if (state.State.PendingDeletion)
        {
            return new TopicAdminResult(ErrorCode.InvalidTopicException, "The topic is queued for deletion.");
        }

        if (!state.State.Exists)
        {
            return UnknownTopic();
        }

        var current = state.State.PartitionCount;
        if (totalCount <= current)
        {
            return new TopicAdminResult(ErrorCode.InvalidPartitions, totalCount == current
                ? $"Topic already has {current} partitions."
                : $"Topic currently has {current} partitions, which is higher than the requested {totalCount}.");
        }

        if (TooManyPartitions(totalCount) is { } overLimit)
        {
            return new TopicAdminResult(ErrorCode.InvalidPartitions, overLimit);
        }

        var live = brokers.Active();
        var replicationFactor = state.State.Partitions[0].ReplicationFactor;
        IReadOnlyList<IReadOnlyList<int>> added;
        if (assignments is not null)
        {
            var registered = await NewPartitionPlacement.RegisteredBrokersAsync(GrainFactory, live);
            var decision = ReplicaAssignmentRules.ForNewPartitions(
                current, totalCount, replicationFactor, assignments, registered.Keys.ToHashSet(), live.Keys.ToHashSet());
            if (decision.Error != ErrorCode.None)
            {
                return new TopicAdminResult(decision.Error, decision.Message);
            }

            added = decision.Replicas;
        }
        else
        {
            var placed = await NewPartitionPlacement.PlaceAsync(GrainFactory, Name, totalCount - current, replicationFactor, firstPartition: current, live);
            if (placed.Error != ErrorCode.None)
            {
                return new TopicAdminResult(placed.Error, placed.Message);
            }

            added = placed.Replicas;
        }

        var addedPartitions = NewPartitionPlacement.Register(added, live);
        var reserved = await Catalog.ReserveAsync(Name, state.State.TopicId, TopicFootprint.Of(state.State.Partitions.Concat(addedPartitions)), validateOnly);
        if (reserved.Error != ErrorCode.None || validateOnly)
        {
            return reserved;
        }

        state.State.PartitionCount = totalCount;
        state.State.Partitions.AddRange(addedPartitions);
        await SaveAsync();
        TellFollowersOfNewPartitions(current);
        return TopicAdminResult.Ok;
    }

    /// <summary>The refusal of a topic of <paramref name="partitions"/> partitions, or null when the limit allows it.</summary>
    private string? TooManyPartitions(int partitions)
    {
        var limit = options.Value.Limits.MaxPartitionsPerTopic;
        return partitions > limit
            ? $"Number of partitions {partitions} is over the limit of {limit} partitions per topic (Tributary:Limits:MaxPartitionsPerTopic)."
            : null;
    }

    /// <summary>Stores the state; the description handed out is rebuilt from it at the next call.</summary>
    private async Task SaveAsync()
    {
        _description = null;
        await state.WriteStateAsync();
    }

    private TopicAdminResult UnknownTopic() => new(ErrorCode.UnknownTopicOrPartition, $"Topic '{Name}' does not exist.");

    private static CreateTopicResult Fail(ErrorCode error, string message) => new(error, message, null);
}

using Microsoft.Extensions.Logging;
using Tributary.Grains.KafkaFormats;
using Tributary.Grains.Actors.Brokers;
using Tributary.Grains.Interfaces.Brokers;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.Actors.Placement;
using Tributary.Grains.Storage.Config;

using Tributary.Grains.Actors.Persistence;

namespace Tributary.Grains.Actors.Topics;

/// <summary>
/// A topic's metadata, durable in the control-plane store: id, partition count, config overrides validated against
/// Kafka's definitions, and the broker of each partition: chosen among the live brokers at creation, or the live broker
/// the client assigned it to (Kafka's manual replica assignment).
/// </summary>
public sealed partial class TopicGrain(
    [PersistentState("topic", GrainStorageNames.ControlPlane)] IPersistentState<TopicState> state,
    LiveBrokers brokers,
    LocalBrokerConfigs brokerConfigs,
    ILogger<TopicGrain> logger)
    : Grain, ITopicGrain
{
    private string Name => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A crash between storing the topic and registering it would leave it unlisted; registering is idempotent.
        if (state.State.Exists)
        {
            await GrainFactory.GetGrain<ITopicCatalogGrain>(0).AddAsync(Name, state.State.TopicId);
        }
    }

    public async Task<CreateTopicResult> CreateAsync(CreateTopicRequest request)
    {
        if (TopicNames.Validate(Name) is { } nameError)
        {
            return Fail(ErrorCode.InvalidTopicException, nameError);
        }

        if (state.State.Exists)
        {
            return Fail(ErrorCode.TopicAlreadyExists, $"Topic '{Name}' already exists.");
        }

        var live = brokers.Active();
        IReadOnlyList<int>? assigned = null;
        if (request.Assignments is { Count: > 0 } assignments)
        {
            var decision = ReplicaAssignmentRules.ForNewTopic(
                request.PartitionCount, request.ReplicationFactor, assignments, await RegisteredBrokersAsync(live), live.Keys.ToHashSet());
            if (decision.Error != ErrorCode.None)
            {
                return Fail(decision.Error, decision.Message!);
            }

            assigned = decision.Brokers;
        }
        else
        {
            if (request.PartitionCount is 0 or < -1)
            {
                return Fail(ErrorCode.InvalidPartitions, "Number of partitions must be larger than 0.");
            }

            if (request.ReplicationFactor != -1 && request.ReplicationFactor != 1)
            {
                return Fail(ErrorCode.InvalidReplicationFactor,
                    request.ReplicationFactor <= 0
                        ? "Replication factor must be larger than 0."
                        : $"Replication factor: {request.ReplicationFactor} larger than available brokers: 1 (replication is not supported yet).");
            }
        }

        if (TopicConfigs.Validate(request.Configs) is { } configError)
        {
            return Fail(ErrorCode.InvalidConfig, configError);
        }

        var partitions = assigned?.Count ?? (request.PartitionCount == -1 ? brokerConfigs.NumPartitions : request.PartitionCount);
        if (assigned is null && live.Count == 0)
        {
            return Fail(ErrorCode.BrokerNotAvailable, "No live broker to place the partitions on.");
        }

        var description = new TopicDescription(
            Name,
            Guid.NewGuid(),
            partitions,
            request.Configs.ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal),
            assigned ?? PartitionAssignment.Assign(Name, partitions, live.Keys.ToArray()));
        if (request.ValidateOnly)
        {
            return new CreateTopicResult(ErrorCode.None, null, description);
        }

        state.State = new TopicState
        {
            TopicId = description.TopicId,
            PartitionCount = description.PartitionCount,
            Configs = new Dictionary<string, string>(description.Configs, StringComparer.Ordinal),
            PartitionBrokers = [.. description.PartitionBrokers],
        };
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<ITopicCatalogGrain>(0).AddAsync(Name, description.TopicId);
        return new CreateTopicResult(ErrorCode.None, null, description);
    }

    public Task<TopicDescription?> DescribeAsync() => Task.FromResult(
        state.State.Exists
            ? new TopicDescription(
                Name,
                state.State.TopicId,
                state.State.PartitionCount,
                new Dictionary<string, string>(state.State.Configs, StringComparer.Ordinal),
                state.State.PartitionBrokers.ToArray())
            : null);

    public async Task<TopicAdminResult> DeleteAsync()
    {
        if (!state.State.Exists)
        {
            return UnknownTopic();
        }

        // Partitions first: while the topic exists their grains can still activate to remove their data.
        await ForEachPartitionAsync(p => p.DeleteAsync());
        await GrainFactory.GetGrain<ITopicCatalogGrain>(0).RemoveAsync(Name);
        await state.ClearStateAsync();
        return TopicAdminResult.Ok;
    }

    public Task<TopicAdminResult> CreatePartitionsAsync(int totalCount, bool validateOnly) => CreatePartitionsAsync(totalCount, null, validateOnly);

    public async Task<TopicAdminResult> CreatePartitionsAsync(int totalCount, IReadOnlyList<IReadOnlyList<int>>? assignments, bool validateOnly)
    {
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

        var live = brokers.Active();
        IReadOnlyList<int> added;
        if (assignments is not null)
        {
            var decision = ReplicaAssignmentRules.ForNewPartitions(current, totalCount, assignments, await RegisteredBrokersAsync(live), live.Keys.ToHashSet());
            if (decision.Error != ErrorCode.None)
            {
                return new TopicAdminResult(decision.Error, decision.Message);
            }

            added = decision.Brokers;
        }
        else if (live.Count == 0)
        {
            return new TopicAdminResult(ErrorCode.BrokerNotAvailable, "No live broker to place the partitions on.");
        }
        else
        {
            added = PartitionAssignment.Assign(Name, totalCount - current, live.Keys.ToArray(), firstPartition: current);
        }

        if (!validateOnly)
        {
            state.State.PartitionCount = totalCount;
            state.State.PartitionBrokers.AddRange(added);
            await state.WriteStateAsync();
        }

        return TopicAdminResult.Ok;
    }

    /// <summary>Every broker that ever joined the cluster (Kafka's registered brokers), the live ones included.</summary>
    private async Task<HashSet<int>> RegisteredBrokersAsync(IReadOnlyDictionary<int, SiloAddress> live)
    {
        var registered = (await GrainFactory.GetGrain<IBrokerRegistryGrain>(0).ListAsync()).Select(b => b.BrokerId).ToHashSet();
        registered.UnionWith(live.Keys);
        return registered;
    }

    private TopicAdminResult UnknownTopic() => new(ErrorCode.UnknownTopicOrPartition, $"Topic '{Name}' does not exist.");

    /// <summary>Calls every partition of the topic; a partition whose broker is away is logged and skipped.</summary>
    private async Task ForEachPartitionAsync(Func<IPartitionGrain, Task> call)
    {
        var calls = Enumerable.Range(0, state.State.PartitionCount).Select(async p =>
        {
            try
            {
                await call(PartitionGrainKey.Get(GrainFactory, Name, p));
            }
            catch (Exception e) when (e is BrokerNotAvailableException or UnknownPartitionException or TimeoutException)
            {
                LogPartitionUnreachable(logger, Name, p, e.Message);
            }
        });
        await Task.WhenAll(calls);
    }

    private static CreateTopicResult Fail(ErrorCode error, string message) => new(error, message, null);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Topic}-{Partition} could not be reached: {Reason}")]
    private static partial void LogPartitionUnreachable(ILogger logger, string topic, int partition, string reason);
}

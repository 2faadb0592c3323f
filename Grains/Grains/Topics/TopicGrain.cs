using Microsoft.Extensions.Options;
using Tributary.Gateway.Protocol;
using Tributary.Grains.Hosting;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.Placement;
using Tributary.Grains.Storage.Config;

namespace Tributary.Grains.Topics;

/// <summary>
/// A topic's metadata, durable in the control-plane store: id, partition count, config overrides validated against
/// Kafka's definitions, and the broker of each partition, chosen among the live brokers at creation.
/// </summary>
public sealed class TopicGrain(
    [PersistentState("topic", GrainStorageNames.ControlPlane)] IPersistentState<TopicState> state,
    LiveBrokers brokers,
    IOptions<TributaryOptions> options)
    : Grain, ITopicGrain
{
    private string Name => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A crash between storing the topic and registering it would leave it unlisted; registering is idempotent.
        if (state.State.Exists)
        {
            await GrainFactory.GetGrain<ITopicCatalogGrain>(0).AddAsync(Name);
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

        var partitions = request.PartitionCount == -1 ? options.Value.DefaultPartitions : request.PartitionCount;
        if (partitions <= 0)
        {
            return Fail(ErrorCode.InvalidPartitions, "Number of partitions must be larger than 0.");
        }

        var live = brokers.Active();
        if (request.ReplicationFactor != -1 && request.ReplicationFactor != 1)
        {
            return Fail(ErrorCode.InvalidReplicationFactor,
                request.ReplicationFactor <= 0
                    ? "Replication factor must be larger than 0."
                    : $"Replication factor: {request.ReplicationFactor} larger than available brokers: 1 (replication is not supported yet).");
        }

        if (TopicConfigs.Validate(request.Configs) is { } configError)
        {
            return Fail(ErrorCode.InvalidConfig, configError);
        }

        if (live.Count == 0)
        {
            return Fail(ErrorCode.BrokerNotAvailable, "No live broker to place the partitions on.");
        }

        var description = new TopicDescription(
            Name,
            Guid.NewGuid(),
            partitions,
            request.Configs.ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal),
            PartitionAssignment.Assign(Name, partitions, live.Keys.ToArray()));
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
        await GrainFactory.GetGrain<ITopicCatalogGrain>(0).AddAsync(Name);
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

    private static CreateTopicResult Fail(ErrorCode error, string message) => new(error, message, null);
}

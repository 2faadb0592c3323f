using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Interfaces;
using Tributary.Grains.Interfaces.Groups;
using Tributary.Grains.Interfaces.RestProxy;
using Tributary.Grains.RestConsumers;

namespace Tributary.Grains.Actors.RestProxy;

/// <summary>
/// A thin adapter from grain calls to one <see cref="RestConsumer"/>: it runs the engine's membership steps in the
/// background, reads the partitions and talks to the group for it, and expires the instance on a timer. Kept in memory
/// only, as Confluent's instances are: a consumer instance lives while it is used and is gone after a restart.
/// Reentrant: a poll that waits for records must not hold up the membership loop or a commit; every change to the
/// engine happens within one turn, and the engine drops answers its state has moved past.
/// </summary>
[Reentrant]
public sealed partial class RestConsumerGrain(IOptions<TributaryOptions> options, TimeProvider time) : Grain, IRestConsumerGrain
{
    private const string NotFound = "Consumer instance not found.";

    private readonly RestConsumer _consumer = new(ToConsumerOptions(options.Value.RestProxy), time);
    private GrainReferences? _grainReferences;

    /// <summary>The partitions' grains: GetGrain finds an interface's grain type by reflection on every call, these once.</summary>
    private GrainReferences References => _grainReferences ??= new(GrainFactory);
    private IGrainTimer? _expiry;

    private string Group => RestConsumerKeys.Parse(this.GetPrimaryKeyString()).Group;

    private IConsumerGroupGrain GroupGrain => GrainFactory.GetGrain<IConsumerGroupGrain>(Group);

    private TimeSpan InstanceTimeout => options.Value.RestProxy.ConsumerInstanceTimeout;

    public Task<int> CreateAsync(RestConsumerConfig config)
    {
        var error = _consumer.Create(new InstanceConfig(config.Format, config.AutoOffsetReset, config.AutoCommit, config.RequestTimeoutMs));
        if (error == RestConsumerError.None)
        {
            var period = InstanceTimeout / 4 < TimeSpan.FromSeconds(30) ? InstanceTimeout / 4 : TimeSpan.FromSeconds(30);
            _expiry = this.RegisterGrainTimer(ExpireIfIdleAsync, new GrainTimerCreationOptions(period, period) { Interleave = true });
        }

        return Task.FromResult(Code(error));
    }

    public Task<RestConsumerConfig?> GetConfigAsync() =>
        Task.FromResult(_consumer.GetConfig() is { } config
            ? new RestConsumerConfig(config.Format, config.AutoOffsetReset, config.AutoCommit, config.RequestTimeoutMs)
            : null);

    public async Task<int> DeleteAsync()
    {
        if (_consumer.Config is null)
        {
            return RestConsumerErrors.InstanceNotFound;
        }

        await CloseAsync();
        return RestConsumerErrors.None;
    }

    public async Task<int> SubscribeAsync(IReadOnlyList<string>? topics, string? pattern)
    {
        var error = _consumer.Subscribe(topics, pattern);
        if (error == RestConsumerError.None)
        {
            await RestartMembershipAsync(start: true);
        }

        return Code(error);
    }

    public Task<RestResult<IReadOnlyList<string>>> GetSubscriptionAsync()
    {
        var (error, topics) = _consumer.GetSubscription();
        return Task.FromResult(error == RestConsumerError.None
            ? RestResult<IReadOnlyList<string>>.Ok(topics)
            : RestResult<IReadOnlyList<string>>.Fail(Code(error), NotFound));
    }

    public async Task<int> UnsubscribeAsync()
    {
        var error = _consumer.Unsubscribe();
        if (error == RestConsumerError.None)
        {
            await RestartMembershipAsync(start: false);
        }

        return Code(error);
    }

    public Task<int> AssignAsync(IReadOnlyList<RestTopicPartition> partitions) =>
        Task.FromResult(Code(_consumer.Assign(partitions.Select(ToPartition).ToList())));

    public Task<RestResult<IReadOnlyList<RestTopicPartition>>> GetAssignmentsAsync()
    {
        var (error, partitions) = _consumer.GetAssignment();
        return Task.FromResult(error == RestConsumerError.None
            ? RestResult<IReadOnlyList<RestTopicPartition>>.Ok(partitions.Select(ToRest).ToList())
            : RestResult<IReadOnlyList<RestTopicPartition>>.Fail(Code(error), NotFound));
    }

    private async Task ExpireIfIdleAsync(CancellationToken cancellationToken)
    {
        if (_consumer.IsExpired(InstanceTimeout))
        {
            await CloseAsync();
        }
    }

    /// <summary>Leaves the group (committing first when auto-commit is on) and forgets the instance.</summary>
    private async Task CloseAsync()
    {
        if (_consumer.CommitOnClose() is { } commit)
        {
            await SendCommitAsync(commit);
        }

        // Gone for requests before it has left its group: nothing answers for an instance that is closing.
        _consumer.Close();
        await RestartMembershipAsync(start: false);
        _expiry?.Dispose();
        _expiry = null;
        DeactivateOnIdle();
    }

    private static RestConsumerOptions ToConsumerOptions(RestProxyOptions settings) => new()
    {
        SessionTimeout = settings.ConsumerSessionTimeout,
        HeartbeatInterval = settings.ConsumerHeartbeatInterval,
    };

    /// <summary>The engine's errors carry Confluent's numbers, as the interface's do.</summary>
    private static int Code(RestConsumerError error) => (int)error;

    private static TopicPartition ToPartition(RestTopicPartition partition) => new(partition.Topic, partition.Partition);

    private static RestTopicPartition ToRest(TopicPartition partition) => new(partition.Topic, partition.Partition);
}

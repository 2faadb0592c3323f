using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Interfaces.RestProxy;

namespace Tributary.Grains.Actors.RestProxy;

/// <summary>
/// A REST Proxy consumer instance: its settings, its subscription (a group member, joined in the background) or its
/// manual assignment, its positions. Kept in memory only, as Confluent's instances are: a consumer instance lives
/// while it is used and is gone after a restart. Reentrant: a poll that waits for records must not hold up the
/// membership loop or a commit; every change to the fields happens within one turn.
/// </summary>
[Reentrant]
public sealed partial class RestConsumerGrain(IOptions<TributaryOptions> options, TimeProvider time) : Grain, IRestConsumerGrain
{
    private RestConsumerConfig? _config;
    private long _lastRequest;
    private IGrainTimer? _expiry;

    private IReadOnlyList<string>? _topics;
    private string? _pattern;
    private List<RestTopicPartition>? _manual;
    private List<RestTopicPartition> _assigned = [];
    private readonly Dictionary<RestTopicPartition, long> _positions = [];

    private string Group => RestConsumerKeys.Parse(this.GetPrimaryKeyString()).Group;

    private RestProxyOptions Settings => options.Value.RestProxy;

    private bool Subscribed => _topics is not null || _pattern is not null;

    public Task<int> CreateAsync(RestConsumerConfig config)
    {
        if (_config is not null)
        {
            return Task.FromResult(RestConsumerErrors.InstanceExists);
        }

        _config = config;
        Touch();
        var period = Settings.ConsumerInstanceTimeout / 4 < TimeSpan.FromSeconds(30) ? Settings.ConsumerInstanceTimeout / 4 : TimeSpan.FromSeconds(30);
        _expiry = this.RegisterGrainTimer(ExpireIfIdleAsync, new GrainTimerCreationOptions(period, period) { Interleave = true });
        return Task.FromResult(RestConsumerErrors.None);
    }

    public Task<RestConsumerConfig?> GetConfigAsync()
    {
        Touch();
        return Task.FromResult(_config);
    }

    public async Task<int> DeleteAsync()
    {
        if (_config is null)
        {
            return RestConsumerErrors.InstanceNotFound;
        }

        await CloseAsync();
        return RestConsumerErrors.None;
    }

    public async Task<int> SubscribeAsync(IReadOnlyList<string>? topics, string? pattern)
    {
        if (Check() is { } error)
        {
            return error;
        }

        if (_manual is not null)
        {
            return RestConsumerErrors.IllegalState;
        }

        await StopMembershipAsync();
        _topics = pattern is null ? topics ?? [] : null;
        _pattern = pattern;
        StartMembership();
        return RestConsumerErrors.None;
    }

    public Task<RestResult<IReadOnlyList<string>>> GetSubscriptionAsync() =>
        Task.FromResult(Check() is { } error
            ? RestResult<IReadOnlyList<string>>.Fail(error, "Consumer instance not found.")
            : RestResult<IReadOnlyList<string>>.Ok(_topics ?? (IReadOnlyList<string>)_subscribedTopics));

    public async Task<int> UnsubscribeAsync()
    {
        if (Check() is { } error)
        {
            return error;
        }

        await StopMembershipAsync();
        _topics = null;
        _pattern = null;
        SetAssignment([]);
        return RestConsumerErrors.None;
    }

    public Task<int> AssignAsync(IReadOnlyList<RestTopicPartition> partitions)
    {
        if (Check() is { } error)
        {
            return Task.FromResult(error);
        }

        if (Subscribed)
        {
            return Task.FromResult(RestConsumerErrors.IllegalState);
        }

        _manual = partitions.Distinct().ToList();
        SetAssignment(_manual);
        return Task.FromResult(RestConsumerErrors.None);
    }

    public Task<RestResult<IReadOnlyList<RestTopicPartition>>> GetAssignmentsAsync() =>
        Task.FromResult(Check() is { } error
            ? RestResult<IReadOnlyList<RestTopicPartition>>.Fail(error, "Consumer instance not found.")
            : RestResult<IReadOnlyList<RestTopicPartition>>.Ok(_assigned.ToList()));

    /// <summary>Null when the instance exists (and the request counts as use), else the error to answer.</summary>
    private int? Check()
    {
        if (_config is null)
        {
            return RestConsumerErrors.InstanceNotFound;
        }

        Touch();
        return null;
    }

    private void Touch() => _lastRequest = time.GetTimestamp();

    /// <summary>Positions of partitions that stay assigned are kept; the others are dropped.</summary>
    private void SetAssignment(List<RestTopicPartition> partitions)
    {
        _assigned = partitions;
        foreach (var gone in _positions.Keys.Except(partitions).ToList())
        {
            _positions.Remove(gone);
        }
    }

    private async Task ExpireIfIdleAsync(CancellationToken cancellationToken)
    {
        if (_config is not null && time.GetElapsedTime(_lastRequest) > Settings.ConsumerInstanceTimeout)
        {
            await CloseAsync();
        }
    }

    /// <summary>Leaves the group (committing first when auto-commit is on) and forgets the instance.</summary>
    private async Task CloseAsync()
    {
        if (_config?.AutoCommit == true && _positions.Count > 0)
        {
            await CommitAsync(null);
        }

        // Gone for requests before it has left its group: nothing answers for an instance that is closing.
        _config = null;
        await StopMembershipAsync();
        _expiry?.Dispose();
        _expiry = null;
        DeactivateOnIdle();
    }
}

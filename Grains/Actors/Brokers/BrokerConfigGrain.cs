using Microsoft.Extensions.Logging;
using Tributary.Grains.Actors.Persistence;
using Tributary.Grains.Interfaces.Brokers;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.Storage.Config;

namespace Tributary.Grains.Actors.Brokers;

/// <summary>
/// The cluster's dynamic broker configs (Kafka's <c>/configs/brokers/&lt;default&gt;</c> and
/// <c>/configs/brokers/{id}</c>), durable in the control-plane store; changes are checked with Kafka's rules
/// (<see cref="BrokerConfigs.ValidateDynamic"/>). Each stored change is sent to every subscribed silo before the
/// call returns (silos that do not answer within <see cref="PushTimeout"/> catch up when they renew their
/// subscription), so a change is in force on every live silo when the admin client hears of it.
/// </summary>
public sealed partial class BrokerConfigGrain(
    [PersistentState("broker-configs", GrainStorageNames.ControlPlane)] IPersistentState<BrokerConfigState> state,
    TimeProvider time,
    ILogger<BrokerConfigGrain> logger)
    : Grain, IBrokerConfigGrain
{
    public static readonly TimeSpan PushTimeout = TimeSpan.FromSeconds(5);

    private readonly Dictionary<IBrokerConfigObserver, DateTimeOffset> _subscribers = [];

    public Task<BrokerConfigSnapshot> GetAsync() => Task.FromResult(Snapshot());

    public async Task<BrokerConfigResult> AlterConfigsAsync(int? brokerId, IReadOnlyDictionary<string, string> configs, bool validateOnly) =>
        await StoreAsync(brokerId, new Dictionary<string, string>(configs, StringComparer.Ordinal), validateOnly);

    public async Task<BrokerConfigResult> IncrementalAlterConfigsAsync(int? brokerId, IReadOnlyList<ConfigChange> changes, bool validateOnly)
    {
        var configs = new Dictionary<string, string>(Entity(brokerId), StringComparer.Ordinal);
        foreach (var change in changes)
        {
            (ConfigType, string?)? definition = BrokerConfigs.ByName.TryGetValue(change.Name, out var d) ? (d.Type, d.DefaultValue) : null;
            if (IncrementalConfigChange.Apply(configs, change.Name, (IncrementalOperation)change.Operation, change.Value, definition) is { } error)
            {
                return new BrokerConfigResult(ErrorCode.InvalidConfig, error, Snapshot());
            }
        }

        return await StoreAsync(brokerId, configs, validateOnly);
    }

    public Task<BrokerConfigSnapshot> SubscribeAsync(IBrokerConfigObserver observer)
    {
        _subscribers[observer] = time.GetUtcNow() + IBrokerConfigGrain.SubscriptionLifetime;
        return Task.FromResult(Snapshot());
    }

    private async Task<BrokerConfigResult> StoreAsync(int? brokerId, Dictionary<string, string> configs, bool validateOnly)
    {
        if (BrokerConfigs.ValidateDynamic(configs) is { } error)
        {
            return new BrokerConfigResult(ErrorCode.InvalidRequest, error, Snapshot());
        }

        if (validateOnly)
        {
            return new BrokerConfigResult(ErrorCode.None, null, Snapshot());
        }

        if (brokerId is { } id)
        {
            state.State.PerBroker[id] = configs;
        }
        else
        {
            state.State.ClusterDefault = configs;
        }

        state.State.Version++;
        await state.WriteStateAsync();
        var snapshot = Snapshot();
        LogChanged(logger, brokerId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "<default>", snapshot.Version, string.Join(", ", configs.Keys));
        await PushAsync(snapshot);
        return new BrokerConfigResult(ErrorCode.None, null, snapshot);
    }

    /// <summary>Sends a new version to every live subscriber; one that fails is dropped until it subscribes again.</summary>
    private async Task PushAsync(BrokerConfigSnapshot snapshot)
    {
        var now = time.GetUtcNow();
        foreach (var expired in _subscribers.Where(s => s.Value < now).Select(s => s.Key).ToList())
        {
            _subscribers.Remove(expired);
        }

        var pushes = _subscribers.Keys.ToList().Select(async observer =>
        {
            try
            {
                await observer.OnChangedAsync(snapshot);
            }
            catch (Exception e)
            {
                _subscribers.Remove(observer);
                LogPushFailed(logger, snapshot.Version, e.Message);
            }
        }).ToList();
        await Task.WhenAny(Task.WhenAll(pushes), Task.Delay(PushTimeout, time));
    }

    private IReadOnlyDictionary<string, string> Entity(int? brokerId) =>
        brokerId is { } id
            ? state.State.PerBroker.TryGetValue(id, out var configs) ? configs : new Dictionary<string, string>()
            : state.State.ClusterDefault;

    private BrokerConfigSnapshot Snapshot() => new(
        state.State.Version,
        new Dictionary<string, string>(state.State.ClusterDefault, StringComparer.Ordinal),
        state.State.PerBroker.ToDictionary(b => b.Key, b => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(b.Value, StringComparer.Ordinal)));

    [LoggerMessage(Level = LogLevel.Information, Message = "Dynamic configs of broker {Entity} changed (version {Version}): {Names}")]
    private static partial void LogChanged(ILogger logger, string entity, long version, string names);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A silo could not be sent version {Version} of the dynamic broker configs: {Reason}")]
    private static partial void LogPushFailed(ILogger logger, long version, string reason);
}

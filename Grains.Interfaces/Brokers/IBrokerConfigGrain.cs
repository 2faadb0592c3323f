using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Grains.Interfaces.Brokers;

/// <summary>
/// The dynamic broker configs of the cluster (one grain, key 0), stored in the control plane: those set for the
/// cluster default entity (Kafka's empty resource name) and those set for each broker. Every silo subscribes and is
/// sent each new version, so requests read the configs locally (<see cref="IBrokerConfigs"/>).
/// </summary>
[Alias("Tributary.Brokers.IBrokerConfigGrain")]
public interface IBrokerConfigGrain : IGrainWithIntegerKey
{
    [Alias("Get")]
    Task<BrokerConfigSnapshot> GetAsync();

    /// <summary>
    /// Kafka's AlterConfigs on a BROKER resource: the entity's dynamic configs become exactly <paramref name="configs"/>.
    /// <paramref name="brokerId"/> null is the cluster default.
    /// </summary>
    [Alias("AlterConfigs")]
    Task<BrokerConfigResult> AlterConfigsAsync(int? brokerId, IReadOnlyDictionary<string, string> configs, bool validateOnly);

    /// <summary>Kafka's IncrementalAlterConfigs on a BROKER resource: the changes, in order, to the entity's dynamic configs.</summary>
    [Alias("IncrementalAlterConfigs")]
    Task<BrokerConfigResult> IncrementalAlterConfigsAsync(int? brokerId, IReadOnlyList<ConfigChange> changes, bool validateOnly);

    /// <summary>
    /// Sends <paramref name="observer"/> every later version, and returns the current one. A subscription lapses unless
    /// renewed (<see cref="SubscriptionLifetime"/>): a silo renews it well within that, so one that died stops being sent to.
    /// </summary>
    [Alias("Subscribe")]
    Task<BrokerConfigSnapshot> SubscribeAsync(IBrokerConfigObserver observer);

    /// <summary>How long a subscription lasts without being renewed.</summary>
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(2);
}

/// <summary>A silo's receiver of new versions of the dynamic broker configs.</summary>
[Alias("Tributary.Brokers.IBrokerConfigObserver")]
public interface IBrokerConfigObserver : IGrainObserver
{
    [Alias("OnChanged")]
    Task OnChangedAsync(BrokerConfigSnapshot snapshot);
}

/// <summary>The dynamic broker configs of the cluster at one version; versions only grow.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Brokers.BrokerConfigSnapshot")]
public sealed record BrokerConfigSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyDictionary<string, string> ClusterDefault,
    [property: Id(2)] IReadOnlyDictionary<int, IReadOnlyDictionary<string, string>> PerBroker)
{
    public static readonly BrokerConfigSnapshot Empty = new(0, new Dictionary<string, string>(), new Dictionary<int, IReadOnlyDictionary<string, string>>());

    /// <summary>The configs set for <paramref name="brokerId"/> alone.</summary>
    public IReadOnlyDictionary<string, string> Broker(int brokerId) =>
        PerBroker.TryGetValue(brokerId, out var configs) ? configs : new Dictionary<string, string>();
}

/// <summary>The outcome of a change of broker configs: Kafka's error code and message, and the configs it left.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Brokers.BrokerConfigResult")]
public sealed record BrokerConfigResult(
    [property: Id(0)] ErrorCode Error,
    [property: Id(1)] string? ErrorMessage,
    [property: Id(2)] BrokerConfigSnapshot Snapshot);

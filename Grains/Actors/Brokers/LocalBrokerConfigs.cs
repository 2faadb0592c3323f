using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Interfaces.Brokers;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.Storage.Config;

namespace Tributary.Grains.Actors.Brokers;

/// <summary>
/// This silo's copy of its broker configs (<see cref="View"/>): the static ones it was started with
/// (<see cref="IStaticBrokerConfigSource"/>) under the dynamic ones of <see cref="IBrokerConfigGrain"/>.
/// <para>Why a copy pushed to every silo: the configs are read on hot paths (a partition log's config, topic
/// auto-creation, every Metadata request that names an unknown topic), where a grain call per read would cost a
/// network round trip to wherever the config grain lives. They change rarely, so each silo subscribes to the config
/// grain as an Orleans grain observer and is sent each new version; reads are a field read. The grain sends a change
/// to every subscriber before it answers the admin client, and the silo that took the request applies the answer
/// itself too, so a change is in force here when the client hears of it. Observers are not durable (the config grain
/// may be re-activated elsewhere when its silo dies, without its subscribers): every silo renews its subscription each
/// <see cref="RenewInterval"/>, which also brings it the current version, so a silo that missed a push catches up
/// within that interval.</para>
/// <para>Threads: <see cref="View"/> is an immutable object swapped whole; versions are applied under a lock, newer
/// ones only. <see cref="Changed"/> runs on the thread that applied the version.</para>
/// </summary>
public sealed partial class LocalBrokerConfigs : IBrokerConfigs, IBrokerConfigObserver, ILifecycleParticipant<ISiloLifecycle>
{
    public static readonly TimeSpan RenewInterval = TimeSpan.FromSeconds(30);

    /// <summary>How long a starting silo waits for the stored configs before it starts on its static ones.</summary>
    private static readonly TimeSpan FirstLoadWait = TimeSpan.FromSeconds(10);

    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly ILogger<LocalBrokerConfigs> _logger;
    private readonly Dictionary<string, string> _static;
    private readonly Lock _applyLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private BrokerConfigSnapshot _snapshot = BrokerConfigSnapshot.Empty;
    private BrokerConfigView _view;
    private IBrokerConfigObserver? _reference;

    public LocalBrokerConfigs(
        IGrainFactory grains,
        IOptions<TributaryOptions> options,
        IEnumerable<IStaticBrokerConfigSource> staticSources,
        TimeProvider time,
        ILogger<LocalBrokerConfigs> logger)
    {
        _grains = grains;
        _time = time;
        _logger = logger;
        BrokerId = options.Value.BrokerId;
        _static = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in staticSources.SelectMany(s => s.StaticBrokerConfigs()))
        {
            _static[name] = value;
        }

        _view = new BrokerConfigView(_static);
    }

    public int BrokerId { get; }

    /// <summary>This broker's configs as they stand now.</summary>
    public BrokerConfigView View => Volatile.Read(ref _view);

    /// <summary>Raised after a new version of the dynamic configs is in force.</summary>
    public event Action<BrokerConfigView>? Changed;

    public bool AutoCreateTopicsEnable => View.Bool(BrokerConfigs.AutoCreateTopicsEnable);

    public int NumPartitions => View.Int(BrokerConfigs.NumPartitions);

    /// <summary>Kafka's <c>default.replication.factor</c>: the replicas of each partition of a topic created without a replication factor.</summary>
    public int DefaultReplicationFactor => View.Int(BrokerConfigs.DefaultReplicationFactor);

    public IReadOnlyDictionary<string, string> TopicDefaults => View.TopicDefaults;

    public int OffsetsTopicNumPartitions => View.Int(BrokerConfigs.OffsetsTopicNumPartitions);

    /// <summary>Kafka's <c>offsets.topic.replication.factor</c>: the replicas of <c>__consumer_offsets</c> when it is created.</summary>
    public short OffsetsTopicReplicationFactor => (short)View.Int(BrokerConfigs.OffsetsTopicReplicationFactor);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(LocalBrokerConfigs), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    public Task OnChangedAsync(BrokerConfigSnapshot snapshot)
    {
        Apply(snapshot);
        return Task.CompletedTask;
    }

    public async Task<TopicAdminResult> AlterConfigsAsync(string resourceName, IReadOnlyDictionary<string, string?> configs, bool validateOnly)
    {
        if (Entity(resourceName, out var brokerId) is { } refused)
        {
            return refused;
        }

        var nulls = configs.Where(c => c.Value is null).Select(c => c.Key).ToList();
        if (nulls.Count > 0)
        {
            return NullValues(nulls);
        }

        var result = await _grains.GetGrain<IBrokerConfigGrain>(0).AlterConfigsAsync(
            brokerId, configs.ToDictionary(c => c.Key, c => c.Value!, StringComparer.Ordinal), validateOnly);
        Apply(result.Snapshot);
        return new TopicAdminResult(result.Error, result.ErrorMessage);
    }

    public async Task<TopicAdminResult> IncrementalAlterConfigsAsync(string resourceName, IReadOnlyList<ConfigChange> changes, bool validateOnly)
    {
        if (Entity(resourceName, out var brokerId) is { } refused)
        {
            return refused;
        }

        if (changes.Select(c => c.Name).Distinct(StringComparer.Ordinal).Count() != changes.Count)
        {
            return new TopicAdminResult(ErrorCode.InvalidRequest, "Error due to duplicate config keys");
        }

        var nulls = changes.Where(c => c.Value is null && c.Operation != ConfigOperation.Delete).Select(c => c.Name).ToList();
        if (nulls.Count > 0)
        {
            return NullValues(nulls);
        }

        var result = await _grains.GetGrain<IBrokerConfigGrain>(0).IncrementalAlterConfigsAsync(brokerId, changes, validateOnly);
        Apply(result.Snapshot);
        return new TopicAdminResult(result.Error, result.ErrorMessage);
    }

    /// <summary>Takes <paramref name="snapshot"/> if it is newer than the version in force, and tells the listeners.</summary>
    public void Apply(BrokerConfigSnapshot snapshot)
    {
        BrokerConfigView view;
        lock (_applyLock)
        {
            if (snapshot.Version <= _snapshot.Version)
            {
                return;
            }

            _snapshot = snapshot;
            view = new BrokerConfigView(_static, snapshot.ClusterDefault, snapshot.Broker(BrokerId));
            Volatile.Write(ref _view, view);
        }

        LogApplied(_logger, snapshot.Version);
        Changed?.Invoke(view);
    }

    /// <summary>
    /// The broker's id from a BROKER resource name, with Kafka's refusals: only this broker (by id) or the cluster
    /// default (empty name, <paramref name="brokerId"/> null) can be changed here.
    /// </summary>
    private TopicAdminResult? Entity(string resourceName, out int? brokerId)
    {
        brokerId = null;
        if (resourceName.Length == 0)
        {
            return null;
        }

        if (!int.TryParse(resourceName, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
        {
            return new TopicAdminResult(ErrorCode.InvalidRequest, $"Node id must be an integer, but it is: {resourceName}");
        }

        if (id != BrokerId)
        {
            return new TopicAdminResult(ErrorCode.InvalidRequest, $"Unexpected broker id, expected {BrokerId}, but received {resourceName}");
        }

        brokerId = id;
        return null;
    }

    private static TopicAdminResult NullValues(IEnumerable<string> names) =>
        new(ErrorCode.InvalidRequest, $"Null value not supported for : {string.Join(", ", names)}");

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        _reference = _grains.CreateObjectReference<IBrokerConfigObserver>(this);
        var first = RenewAsync();
        if (await Task.WhenAny(first, Task.Delay(FirstLoadWait, _time, cancellationToken)) != first)
        {
            LogFirstLoadSlow(_logger, FirstLoadWait);
        }

        _ = Task.Run(RenewLoopAsync, CancellationToken.None);
    }

    private Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        if (_reference is { } reference)
        {
            _grains.DeleteObjectReference<IBrokerConfigObserver>(reference);
        }

        return Task.CompletedTask;
    }

    private async Task RenewLoopAsync()
    {
        using var timer = new PeriodicTimer(RenewInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                await RenewAsync();
            }
        }
        catch (OperationCanceledException)
        {
            // The silo is stopping.
        }
    }

    private async Task RenewAsync()
    {
        try
        {
            Apply(await _grains.GetGrain<IBrokerConfigGrain>(0).SubscribeAsync(_reference!));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRenewFailed(_logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dynamic broker configs version {Version} in force")]
    private static partial void LogApplied(ILogger logger, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The dynamic broker configs did not load within {Wait}; starting on the static ones until they do")]
    private static partial void LogFirstLoadSlow(ILogger logger, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the subscription to the dynamic broker configs: {Reason}")]
    private static partial void LogRenewFailed(ILogger logger, string reason);
}

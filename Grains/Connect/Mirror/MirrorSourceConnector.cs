using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Mirror.Clusters;
using Tributary.Grains.Connect.Mirror.Topics;

namespace Tributary.Grains.Connect.Mirror;

/// <summary>
/// Kafka's MirrorMaker 2 <c>MirrorSourceConnector</c>: copies the topics chosen by <c>topics</c> /
/// <c>topics.exclude</c> from the cluster at <c>source.cluster.bootstrap.servers</c> into this one, each record with its
/// key, value, headers, timestamp and partition, into the remote topic the replication policy names
/// (<c>&lt;source alias&gt;.&lt;topic&gt;</c> by default, the same name with the identity policy). Remote topics are
/// created through <c>target.cluster.bootstrap.servers</c> with the source's partition count and non-default configs;
/// new topics and partitions are found every <c>refresh.topics.interval.seconds</c> and the tasks reconfigured.
/// Records are bytes, so the connector must run with
/// <c>key.converter</c>, <c>value.converter</c> and <c>header.converter</c> set to
/// <c>org.apache.kafka.connect.converters.ByteArrayConverter</c>, as MirrorMaker sets them.
/// Offset syncs, checkpoints (MirrorCheckpointConnector), heartbeats and ACL sync are not provided.
/// </summary>
[ConnectPlugin("org.apache.kafka.connect.mirror.MirrorSourceConnector")]
public sealed class MirrorSourceConnector : SourceConnector
{
    // The connector starts inside a grain call: wait this long for the first look at the clusters, then let it finish
    // in the background and ask for task configs again when it has.
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(10);

    private readonly Func<MirrorSourceConfig, IMirrorClusters> _clustersFactory;
    private MirrorSourceConfig? _config;
    private IMirrorClusters? _clusters;
    private RemoteTopics? _topics;
    private CancellationTokenSource? _stopping;
    private Task _refreshing = Task.CompletedTask;

    public MirrorSourceConnector()
        : this(config => new KafkaMirrorClusters(config))
    {
    }

    /// <summary>For tests: clusters in memory.</summary>
    internal MirrorSourceConnector(Func<MirrorSourceConfig, IMirrorClusters> clustersFactory) => _clustersFactory = clustersFactory;

    public override string Version => MirrorConnectors.Version;

    public override Type TaskType => typeof(MirrorSourceTask);

    public override ConfigDef Config => MirrorSourceConfig.Definition;

    /// <summary>The source topic-partitions being replicated.</summary>
    internal IReadOnlyList<Api.Connector.TopicPartition> KnownPartitions => _topics?.Known ?? [];

    public override async Task StartAsync(IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken)
    {
        var config = MirrorSourceConfig.Parse(properties);
        _config = config;
        if (!config.IsEnabled)
        {
            return;
        }

        _clusters = _clustersFactory(config);
        _topics = new RemoteTopics(config, _clusters);
        _stopping = new CancellationTokenSource();
        var firstLook = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _refreshing = Task.Run(() => RefreshLoopAsync(config, _topics, firstLook, _stopping.Token), CancellationToken.None);
        await Task.WhenAny(firstLook.Task, Task.Delay(StartWait, cancellationToken)).ConfigureAwait(false);
    }

    /// <summary>The known topic-partitions dealt round robin over at most <paramref name="maxTasks"/> tasks.</summary>
    public override IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs(int maxTasks)
    {
        if (_config is not { IsEnabled: true } config)
        {
            return [];
        }

        var groups = RoundRobinAssignor.Assign(KnownPartitions, maxTasks);
        return [.. groups.Select((partitions, index) => config.TaskConfig(partitions, index))];
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        var clusters = _clusters;
        _clusters = null;
        if (_stopping is { } stopping)
        {
            _stopping = null;
            await stopping.CancelAsync().ConfigureAwait(false);
            try
            {
                await _refreshing.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or TimeoutException)
            {
                // A refresh inside a blocking metadata call ends with the admin timeout; the clients are closed after it,
                // not under it, and the runtime is not kept waiting.
                _ = _refreshing.ContinueWith(
                    _ =>
                    {
                        clusters?.Dispose();
                        stopping.Dispose();
                    },
                    CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                return;
            }

            stopping.Dispose();
        }

        clusters?.Dispose();
    }

    /// <summary>Kafka's checks of the offsets' shape; the source consumer commits nothing, so nothing else needs changing.</summary>
    public override bool AlterOffsets(
        IReadOnlyDictionary<string, string> connectorConfig,
        IReadOnlyList<(IReadOnlyDictionary<string, object?> Partition, IReadOnlyDictionary<string, object?>? Offset)> offsets)
    {
        foreach (var (partition, offset) in offsets)
        {
            MirrorPartitions.ValidateSourceOffset(partition, offset);
        }

        return true;
    }

    /// <summary>
    /// Looks at the clusters at once and then every refresh interval, asking for new task configs whenever the
    /// topic-partitions changed. A failure of the first look, or a remote topic that cannot be created, fails the
    /// connector with the reason; a later look that fails (a cluster briefly away) is tried again next interval.
    /// </summary>
    private async Task RefreshLoopAsync(MirrorSourceConfig config, RemoteTopics topics, TaskCompletionSource firstLook, CancellationToken stopping)
    {
        try
        {
            await RefreshAsync(topics, stopping, failOnAnyError: true).ConfigureAwait(false);
        }
        finally
        {
            firstLook.TrySetResult();
        }

        if (config.RefreshInterval is not { } interval)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                await RefreshAsync(topics, stopping, failOnAnyError: false).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    private async Task RefreshAsync(RemoteTopics topics, CancellationToken stopping, bool failOnAnyError)
    {
        try
        {
            if (await topics.RefreshAsync(stopping).ConfigureAwait(false))
            {
                Context.RequestTaskReconfiguration();
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is ConnectException || (failOnAnyError && e is not OutOfMemoryException))
        {
            Context.RaiseError(e as ConnectException ?? new ConnectException("Could not read the topics of the source or target cluster: " + e.Message, e));
        }
        catch (Exception e) when (e is Confluent.Kafka.KafkaException or TimeoutException)
        {
            // As in Kafka, a refresh that fails is logged and tried again at the next interval.
        }
    }
}

using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Actors.Placement;
using Tributary.Grains.Interfaces.Groups;

namespace Tributary.Grains.Actors.Metrics;

/// <summary>
/// Every <see cref="MetricsOptions.ConsumerLagInterval"/>, works out for its share of the consumer groups (a stable hash
/// of the group's id over the active brokers, so that each group is reported by one broker and a cluster's sum is
/// whole) how far each is behind (<see cref="ConsumerLag"/>), and how many groups are in each state, and publishes them
/// as gauges: the lag per group, topic and partition in records and in seconds, under the names of the widely used lag
/// exporters (<c>kafka_consumergroup_group_lag</c>, <c>..._lag_seconds</c>, <c>..._offset</c>), and Kafka's
/// <c>kafka.coordinator.group:type=GroupMetadataManager</c> gauges (<c>NumGroups</c>, by state, <c>NumOffsets</c>).
/// Nothing is worked out while no one listens to the gauges (metrics off). A group that cannot answer is left out of
/// the round, and a round that fails publishes nothing rather than old figures; the age is worked out when the gauges
/// are read, from the oldest unconsumed record's timestamp. Reading a group's lag keeps its grain and the partitions it
/// committed active (their logs open).
/// </summary>
public sealed partial class ConsumerLagMonitor : BackgroundService
{
    public const string LagMeterName = "kafka.consumergroup";
    public const string CoordinatorMeterName = "kafka.coordinator.group";

    private const string Coordinator = "kafka.coordinator.group.groupmetadatamanager.";

    /// <summary>A group's partitions read at once: a group of thousands of partitions does not start thousands of reads.</summary>
    private const int PartitionsAtOnce = 16;

    private readonly IGrainFactory _grains;
    private readonly LiveBrokers _brokers;
    private readonly IOptions<TributaryOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ConsumerLagMonitor> _logger;
    private readonly ObservableGauge<long> _lag;
    private volatile LagSnapshot _snapshot = LagSnapshot.Empty;

    public ConsumerLagMonitor(
        IGrainFactory grains, LiveBrokers brokers, IOptions<TributaryOptions> options, IMeterFactory meters, ILogger<ConsumerLagMonitor> logger, TimeProvider? time = null)
    {
        _grains = grains;
        _brokers = brokers;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger;
        var lag = meters.Create(LagMeterName);
        _lag = lag.CreateObservableGauge("kafka.consumergroup.group.lag", () => Partitions(p => p.Figures.Lag), description: "Records from the group's committed offset to the high watermark.");
        lag.CreateObservableGauge("kafka.consumergroup.group.lag_seconds", LagSeconds, description: "Age of the group's oldest unconsumed record, in seconds (0 when caught up).");
        lag.CreateObservableGauge("kafka.consumergroup.group.offset", () => Partitions(p => p.Figures.Committed), description: "The group's committed offset.");
        var coordinator = meters.Create(CoordinatorMeterName);
        coordinator.CreateObservableGauge(Coordinator + "numgroups", () => _snapshot.Groups, description: "Groups (NumGroups).");
        foreach (var (state, name) in new[]
        {
            ("Stable", "numgroupsstable"), ("PreparingRebalance", "numgroupspreparingrebalance"), ("CompletingRebalance", "numgroupscompletingrebalance"),
            ("Empty", "numgroupsempty"), ("Dead", "numgroupsdead"),
        })
        {
            coordinator.CreateObservableGauge(Coordinator + name, () => (long)_snapshot.GroupsIn(state), description: $"Groups in state {state}.");
        }

        coordinator.CreateObservableGauge(Coordinator + "numoffsets", () => _snapshot.Offsets, description: "Committed offsets (NumOffsets).");
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        MetricRounds.RunAsync(
            _options.Value.Metrics.ConsumerLagInterval,
            () => _lag.Enabled,
            async cancellation => _snapshot = await MeasureAsync(cancellation),
            e =>
            {
                // Nothing rather than figures that no longer move: an alert on the lag sees the gap.
                _snapshot = LagSnapshot.Empty;
                LogMeasureFailed(_logger, e);
            },
            _time,
            stoppingToken);

    private async Task<LagSnapshot> MeasureAsync(CancellationToken cancellation)
    {
        var brokers = _brokers.Active().Keys.Order().ToList();
        var share = brokers.IndexOf(_options.Value.BrokerId);
        if (share < 0)
        {
            return LagSnapshot.Empty;
        }

        var groups = (await _grains.GetGrain<IGroupCatalogGrain>(0).ListAsync())
            .Where(g => StableHash(g.GroupId) % (uint)brokers.Count == (uint)share)
            .ToList();
        var partitions = new System.Collections.Concurrent.ConcurrentBag<PartitionLagEntry>();
        var offsets = 0L;
        foreach (var group in groups)
        {
            cancellation.ThrowIfCancellationRequested();
            IReadOnlyList<CommittedOffsetData> committed;
            try
            {
                committed = [.. (await _grains.GetGrain<IConsumerGroupGrain>(group.GroupId).FetchOffsetsAsync(null)).Where(c => c.Offset >= 0)];
            }
            catch (Exception e) when (!cancellation.IsCancellationRequested)
            {
                // A group that cannot answer now is left out of this round; the others are still reported.
                LogGroupFailed(_logger, group.GroupId, e.Message);
                continue;
            }

            offsets += committed.Count;
            await Parallel.ForEachAsync(committed, new ParallelOptions { MaxDegreeOfParallelism = PartitionsAtOnce, CancellationToken = cancellation }, async (c, _) =>
            {
                try
                {
                    partitions.Add(new PartitionLagEntry(group.GroupId, c.Topic, c.Partition, await ConsumerLag.OfAsync(_grains, c.Topic, c.Partition, c.Offset)));
                }
                catch (Exception e) when (!cancellation.IsCancellationRequested)
                {
                    // A partition that cannot answer now (its topic deleted, its leader moving) is left out of this round.
                    LogPartitionFailed(_logger, group.GroupId, c.Topic, c.Partition, e.Message);
                }
            });
        }

        return new LagSnapshot([.. partitions], groups.CountBy(g => g.State).ToDictionary(), groups.Count, offsets);
    }

    private IEnumerable<Measurement<long>> Partitions(Func<PartitionLagEntry, long> value) =>
        _snapshot.Partitions.Select(p => new Measurement<long>(value(p), p.Tags));

    /// <summary>The ages as of now, from each oldest unconsumed record's timestamp: they grow between rounds as they do in truth.</summary>
    private IEnumerable<Measurement<double>> LagSeconds()
    {
        var now = _time.GetUtcNow();
        foreach (var partition in _snapshot.Partitions)
        {
            if (partition.Figures.SecondsBehind(now) is { } seconds)
            {
                yield return new Measurement<double>(seconds, partition.Tags);
            }
        }
    }

    /// <summary>FNV-1a over the id's UTF-8 bytes: the same on every broker and in every process, unlike string.GetHashCode.</summary>
    internal static uint StableHash(string groupId)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(groupId))
        {
            hash = (hash ^ b) * 16777619u;
        }

        return hash;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Working out the consumer groups' lag failed")]
    private static partial void LogMeasureFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The lag of group {Group} is not known this round: {Reason}")]
    private static partial void LogGroupFailed(ILogger logger, string group, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The lag of group {Group} on {Topic}-{Partition} is not known this round: {Reason}")]
    private static partial void LogPartitionFailed(ILogger logger, string group, string topic, int partition, string reason);

    private sealed record PartitionLagEntry(string Group, string Topic, int Partition, PartitionLagFigures Figures)
    {
        public KeyValuePair<string, object?>[] Tags { get; } = [new("group", Group), new("topic", Topic), new("partition", Partition)];
    }

    private sealed record LagSnapshot(IReadOnlyList<PartitionLagEntry> Partitions, IReadOnlyDictionary<string, int> States, long Groups, long Offsets)
    {
        public static readonly LagSnapshot Empty = new([], new Dictionary<string, int>(), 0, 0);

        public int GroupsIn(string state) => States.GetValueOrDefault(state);
    }
}

using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Actors.Placement;
using Tributary.Grains.Actors.Topics;
using Tributary.Grains.KafkaFormats.Replication;

namespace Tributary.Grains.Actors.Metrics;

/// <summary>
/// Kafka's <c>kafka.server:type=ReplicaManager</c> gauges for this broker, from the partitions' registrations read every
/// <see cref="MetricsOptions.PartitionStateInterval"/>: <c>PartitionCount</c> (replicas it holds), <c>LeaderCount</c> and
/// <c>UnderReplicatedPartitions</c> (those it leads with fewer replicas in sync than assigned); and the controller's
/// <c>OfflinePartitionsCount</c> (partitions without a leader), reported by one broker, the lowest live id, as Kafka's
/// active controller alone reports it, so that a sum over brokers is the cluster's. Nothing is read while no one
/// listens to the gauges; a failed read publishes nothing rather than old figures.
/// </summary>
public sealed partial class ReplicaMetrics : BackgroundService
{
    private readonly IGrainFactory _grains;
    private readonly LiveBrokers _brokers;
    private readonly IOptions<TributaryOptions> _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ReplicaMetrics> _logger;
    private readonly ObservableGauge<long> _partitions;
    private volatile Counts? _counts;

    public ReplicaMetrics(IGrainFactory grains, LiveBrokers brokers, IOptions<TributaryOptions> options, IMeterFactory meters, ILogger<ReplicaMetrics> logger, TimeProvider? time = null)
    {
        _grains = grains;
        _brokers = brokers;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger;
        var server = meters.Create(GroupCoordinatorMetrics.MeterName);
        _partitions = server.CreateObservableGauge("kafka.server.replicamanager.partitioncount", () => Read(c => c.Partitions), description: "Replicas this broker holds (PartitionCount).");
        server.CreateObservableGauge("kafka.server.replicamanager.leadercount", () => Read(c => c.Leaders), description: "Partitions this broker leads (LeaderCount).");
        server.CreateObservableGauge("kafka.server.replicamanager.underreplicatedpartitions", () => Read(c => c.UnderReplicated), description: "Partitions this broker leads with fewer in-sync replicas than assigned (UnderReplicatedPartitions).");
        meters.Create(ControllerMeterName).CreateObservableGauge("kafka.controller.kafkacontroller.offlinepartitionscount", () => Read(c => c.Offline), description: "Partitions without a leader, on one broker only (OfflinePartitionsCount).");
    }

    /// <summary>The meter of Kafka's <c>kafka.controller</c> domain.</summary>
    public const string ControllerMeterName = "kafka.controller";

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        MetricRounds.RunAsync(
            _options.Value.Metrics.PartitionStateInterval,
            () => _partitions.Enabled,
            async _ => _counts = await CountAsync(),
            e =>
            {
                _counts = null;
                LogCountFailed(_logger, e);
            },
            _time,
            stoppingToken);

    private async Task<Counts?> CountAsync()
    {
        var me = _options.Value.BrokerId;
        var live = _brokers.Active().Keys.ToList();
        if (!live.Contains(me))
        {
            return null;
        }

        var counts = new Counts();
        foreach (var partition in await RegisteredPartitions.ListAsync(_grains))
        {
            var registration = partition.Registration;
            counts.Partitions += registration.Replicas.Contains(me) ? 1 : 0;
            counts.Offline += registration.Leader == PartitionRegistration.NoLeader ? 1 : 0;
            if (registration.Leader == me)
            {
                counts.Leaders++;
                counts.UnderReplicated += registration.Isr.Count < registration.Replicas.Count ? 1 : 0;
            }
        }

        // One broker speaks for the cluster's offline partitions, as Kafka's active controller does.
        counts.Offline = me == live.Min() ? counts.Offline : 0;
        return counts;
    }

    private IEnumerable<Measurement<long>> Read(Func<Counts, long> value) =>
        _counts is { } counts ? [new Measurement<long>(value(counts))] : [];

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the partitions' registrations for the replica metrics failed")]
    private static partial void LogCountFailed(ILogger logger, Exception exception);

    private sealed class Counts
    {
        public long Partitions { get; set; }

        public long Leaders { get; set; }

        public long UnderReplicated { get; set; }

        public long Offline { get; set; }
    }
}

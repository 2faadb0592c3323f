using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Placement;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Actors.Placement;
using Tributary.Grains.Actors.Replication;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Storage;

namespace Tributary.Grains.Actors.Partitions;

/// <summary>
/// Work on many partitions of a topic on this broker (see <see cref="IBrokerLogsGrain"/>). It asks the log manager
/// which logs are open and which directories exist, so that a partition never used here costs a lookup, not a grain
/// activation. Reentrant: calls for several topics interleave, and every deletion of all of them takes one of
/// <see cref="LimitsOptions.PartitionDeletionsInFlight"/> slots, so that deleting huge topics never floods the broker.
/// Once the silo stops, no further deletion starts (the call fails, cancelled): a deletion of many logs does not hold up
/// the stop, and the topic's deletion resumes where it was after the restart.
/// </summary>
[BrokerPlacement]
[Immovable]
[Reentrant]
public sealed partial class BrokerLogsGrain(
    LogManager logs,
    ReplicaManager replicas,
    IOptions<TributaryOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<BrokerLogsGrain> logger)
    : Grain, IBrokerLogsGrain
{
    private SemaphoreSlim? _slots;

    private SemaphoreSlim Slots => _slots ??= new SemaphoreSlim(Math.Max(1, options.Value.Limits.PartitionDeletionsInFlight));

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _slots?.Dispose();
        _slots = null;
        return Task.CompletedTask;
    }

    public async Task DeletePartitionsAsync(string topic, IReadOnlyList<int> partitions, CancellationToken cancellation)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellation, lifetime.ApplicationStopping);
        await Task.WhenAll(partitions.Select(p => DeleteAsync(topic, p, stopping.Token)));
    }

    public Task UpdateConfigsAsync(string topic, IReadOnlyList<int> partitions, IReadOnlyDictionary<string, string> configs) =>
        Task.WhenAll(partitions.Where(p => logs.IsOpen(topic, p) && !replicas.TryUpdateConfig(topic, p, configs)).Select(async p =>
        {
            await Slots.WaitAsync();
            try
            {
                await PartitionGrainKey.Get(GrainFactory, topic, p).UpdateConfigAsync(configs);
            }
            catch (UnknownPartitionException)
            {
                // It closed in the meantime: it reads the configs when it opens again.
            }
            finally
            {
                Slots.Release();
            }
        }));

    public Task<IReadOnlyList<ReplicaLogSize>> DescribeLogsAsync(string topic, IReadOnlyList<int> partitions) =>
        Task.FromResult<IReadOnlyList<ReplicaLogSize>>([.. partitions.Select(p => logs.OpenLog(topic, p) is { } log
            ? new ReplicaLogSize(p, log.Size, Math.Max(0, log.HighWatermark - log.LogEndOffset))
            : new ReplicaLogSize(p, logs.SizeOnDisk(topic, p), 0))]);

    private async Task DeleteAsync(string topic, int partition, CancellationToken cancellation)
    {
        if (!logs.IsOpen(topic, partition) && !logs.Exists(topic, partition))
        {
            return;
        }

        await Slots.WaitAsync(cancellation);
        try
        {
            // A log this broker follows is closed here; one it leads, by its grain.
            await replicas.ReleaseAsync(topic, partition);
            if (logs.IsOpen(topic, partition))
            {
                try
                {
                    // Its grain closes the log (after the appends and reads in flight) and removes the directory. Not
                    // waited for once cancelled: while the silo stops, a call to a grain deactivating may wait out the
                    // whole response timeout.
                    await PartitionGrainKey.Get(GrainFactory, topic, partition).DeleteAsync().WaitAsync(cancellation);
                }
                catch (UnknownPartitionException)
                {
                    // It deactivated meanwhile, and could not activate again: its topic is being deleted.
                }
            }

            if (!logs.IsOpen(topic, partition) && logs.Exists(topic, partition))
            {
                await Task.Run(() => logs.DeletePartition(topic, partition), cancellation);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // Left as a stray log: the retention sweep removes a directory whose topic no longer exists.
            LogDeleteFailed(logger, topic, partition, e);
        }
        finally
        {
            Slots.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deleting partition {Topic}-{Partition} failed; the retention sweep will remove what is left")]
    private static partial void LogDeleteFailed(ILogger logger, string topic, int partition, Exception exception);
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Storage;

namespace Tributary.Grains.Actors.Partitions;

/// <summary>
/// Kafka's retention check, every <see cref="TributaryOptions.RetentionCheckInterval"/>: asks each partition with a
/// directory on this broker to apply retention, idle ones included (they activate for it and go idle again). A
/// directory whose topic or partition no longer exists (deleted while this broker was away) is a stray log and is
/// removed, as Kafka removes stray logs.
/// </summary>
internal sealed partial class RetentionSweeper(
    LogManager logs,
    IGrainFactory grains,
    IOptions<TributaryOptions> options,
    ILogger<RetentionSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RetentionCheckInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var (topic, partition) in logs.ListPartitions())
            {
                try
                {
                    await PartitionGrainKey.Get(grains, topic, partition).EnforceRetentionAsync();
                }
                catch (UnknownPartitionException)
                {
                    RemoveStray(topic, partition);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRetentionFailed(logger, topic, partition, e);
                }
            }
        }
    }

    private void RemoveStray(string topic, int partition)
    {
        try
        {
            logs.DeletePartition(topic, partition);
            LogStrayRemoved(logger, topic, partition);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            LogRetentionFailed(logger, topic, partition, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Topic}-{Partition} no longer exists; its stray log is removed")]
    private static partial void LogStrayRemoved(ILogger logger, string topic, int partition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention check of {Topic}-{Partition} failed")]
    private static partial void LogRetentionFailed(ILogger logger, string topic, int partition, Exception exception);
}

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Grains.Hosting;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Storage;

namespace Tributary.Grains.Partitions;

/// <summary>
/// Kafka's retention check, every <see cref="TributaryOptions.RetentionCheckInterval"/>: asks each partition with a
/// directory on this broker to apply retention, idle ones included (they activate for it and go idle again).
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
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogRetentionFailed(logger, topic, partition, e);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention check of {Topic}-{Partition} failed")]
    private static partial void LogRetentionFailed(ILogger logger, string topic, int partition, Exception exception);
}

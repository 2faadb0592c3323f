using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Storage;

namespace Tributary.Grains.Actors.Partitions;

/// <summary>
/// Kafka's recovery-point checkpoint, every <see cref="TributaryOptions.LogFlushOffsetCheckpointInterval"/>
/// (<c>log.flush.offset.checkpoint.interval.ms</c>): every open log with appends past its checkpoint is flushed and
/// checkpointed at its end, so that a crash leaves at most one interval's writes per partition to validate.
/// </summary>
internal sealed class RecoveryPointCheckpointer(LogManager logs, IOptions<TributaryOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LogFlushOffsetCheckpointInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await logs.CheckpointRecoveryPointsAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

using Microsoft.Extensions.Logging;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Grains.Actors.Topics;

/// <summary>
/// Once this silo is up, wakes the topics whose deletion a restart interrupted (the catalog lists them), so that their
/// partitions' removal goes on and their names become free again; a topic grain's activation resumes it.
/// </summary>
internal sealed partial class TopicDeletionRecovery(IGrainFactory grains, ILogger<TopicDeletionRecovery> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private const int Attempts = 10;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly CancellationTokenSource _stopping = new();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(TopicDeletionRecovery), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        // In the background: the silo does not wait for the deletions.
        _ = Task.Run(ResumeAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        return Task.CompletedTask;
    }

    private async Task ResumeAsync()
    {
        var woken = new HashSet<string>(StringComparer.Ordinal);
        for (var attempt = 1; attempt <= Attempts && !_stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                var failed = 0;
                foreach (var topic in (await grains.GetGrain<ITopicCatalogGrain>(0).ListDeletingAsync()).Where(t => !woken.Contains(t)))
                {
                    try
                    {
                        await grains.GetGrain<ITopicGrain>(topic).ResumeDeletionAsync();
                        woken.Add(topic);
                    }
                    catch (Exception e) when (e is TimeoutException or OrleansException)
                    {
                        failed++;
                        LogResumeFailed(logger, e.Message);
                    }
                }

                if (failed == 0)
                {
                    return;
                }
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                LogResumeFailed(logger, e.Message);
            }

            await Task.Delay(RetryDelay, CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resuming topic deletions failed: {Reason}")]
    private static partial void LogResumeFailed(ILogger logger, string reason);
}

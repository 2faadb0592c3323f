using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Actors.Brokers;
using Tributary.Grains.Interfaces.Topics;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Config;

namespace Tributary.Grains.Actors.Hosting;

/// <summary>
/// The log manager's part in the silo's life. Once the silo is active (grains answer, the Kafka listener opens), the
/// logs a crash left unrecovered are recovered in the background, each with its topic's configs, while clients are
/// served: a partition asked for meanwhile recovers at once. When the silo stops, every log is flushed and closed in
/// one pass before grains deactivate (stage <see cref="ServiceLifecycleStage.BecomeActive"/>, which stops before
/// <see cref="ServiceLifecycleStage.GrainDeactivation"/>), so that partition grains have nothing left to do and the
/// clean-shutdown marker is written whatever the number of partitions.
/// </summary>
internal sealed partial class LogManagerLifecycle(
    LogManager logs,
    IGrainFactory grains,
    LocalBrokerConfigs brokerConfigs,
    ILogger<LogManagerLifecycle> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
    {
        lifecycle.Subscribe(nameof(LogManagerLifecycle), ServiceLifecycleStage.Active, StartRecovery, _ => Task.CompletedTask);
        lifecycle.Subscribe(nameof(LogManagerLifecycle), ServiceLifecycleStage.BecomeActive, _ => Task.CompletedTask, _ => logs.ShutdownAsync());
    }

    private Task StartRecovery(CancellationToken cancellationToken)
    {
        var topics = new ConcurrentDictionary<string, Task<TopicDescription?>>(StringComparer.Ordinal);
        _ = logs.RecoverAsync((topic, partition, _) => ConfigOfAsync(topics, topic, partition)).ContinueWith(
            t => LogRecoveryFailed(logger, t.Exception!),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);
        return Task.CompletedTask;
    }

    /// <summary>The partition's log config, its topic asked once per recovery pass; null for a partition no topic has.</summary>
    private async ValueTask<LogConfig?> ConfigOfAsync(ConcurrentDictionary<string, Task<TopicDescription?>> topics, string topic, int partition)
    {
        try
        {
            var description = await topics.GetOrAdd(topic, t => grains.GetGrain<ITopicGrain>(t).DescribeAsync());
            return description is null || partition >= description.PartitionCount
                ? null
                : TopicConfigs.ToLogConfig(description.Configs, brokerConfigs.View.TopicDefaults);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            // Recovered with the defaults: only index sizes depend on the topic, and an open with its own configs resizes them.
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Background log recovery failed; logs not recovered are recovered when first opened")]
    private static partial void LogRecoveryFailed(ILogger logger, Exception exception);
}

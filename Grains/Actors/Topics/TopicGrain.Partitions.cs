using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Interfaces.Partitions;
using Tributary.Grains.Interfaces.Topics;

namespace Tributary.Grains.Actors.Topics;

/// <summary>
/// Work on all of the topic's partitions, sent to each broker's <see cref="IBrokerLogsGrain"/> a batch at a time, so that
/// however many partitions the topic has, a broker gets a call per batch and only its open partitions are called: the
/// topic's deletion, in the background, and the pushing of changed configs.
/// </summary>
public sealed partial class TopicGrain
{
    /// <summary>Partitions sent to a broker in one call.</summary>
    internal const int BatchSize = 1024;

    private const int BatchAttempts = 3;
    private static readonly TimeSpan DeletionRetryDelay = TimeSpan.FromSeconds(5);

    private IGrainTimer? _deletion;

    public async Task<TopicAdminResult> DeleteAsync()
    {
        if (!state.State.Exists)
        {
            return UnknownTopic();
        }

        // Marked first, so that the topic is gone for every client the moment this answers; its data follows.
        state.State.Deleting = true;
        await SaveAsync();
        await Catalog.MarkDeletingAsync(Name, state.State.TopicId);
        LogDeletionStarted(logger, Name, state.State.PartitionCount);
        StartDeletion();
        return TopicAdminResult.Ok;
    }

    public Task<bool> ResumeDeletionAsync()
    {
        // Activation started it already; a topic woken after a restart resumes from here.
        if (state.State.PendingDeletion)
        {
            StartDeletion();
        }

        return Task.FromResult(state.State.PendingDeletion);
    }

    /// <summary>
    /// Runs the deletion in the background, interleaved with the grain's calls (which answer that the topic is being
    /// deleted), keeping the grain active until it completes.
    /// </summary>
    private void StartDeletion(TimeSpan? delay = null) =>
        _deletion ??= this.RegisterGrainTimer(
            static (grain, cancellation) => grain.RunDeletionAsync(cancellation),
            this,
            new GrainTimerCreationOptions { DueTime = delay ?? TimeSpan.Zero, Period = Timeout.InfiniteTimeSpan, Interleave = true, KeepAlive = true });

    private async Task RunDeletionAsync(CancellationToken cancellation)
    {
        var started = Stopwatch.StartNew();
        var topicId = state.State.TopicId;
        try
        {
            var away = await ForEachBrokerAsync((broker, batch) => broker.DeletePartitionsAsync(Name, batch, cancellation).WaitAsync(cancellation), cancellation);
            foreach (var brokerId in away)
            {
                // As Kafka's brokers do, a broker that was away removes the deleted topic's logs when it is back: its
                // retention sweep finds directories whose topic no longer exists.
                LogBrokerAway(logger, Name, brokerId);
            }

            // The catalog first: a crash before the state is cleared leaves a pending deletion that the next activation
            // of this grain completes, never a catalog entry that nothing would remove.
            await Catalog.RemoveAsync(Name, topicId);
            _description = null;
            await state.ClearStateAsync();
            _deletion?.Dispose();
            _deletion = null;
            LogDeletionCompleted(logger, Name, started.Elapsed.TotalSeconds);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            // The broker's silo is stopping and starts no further removal: tried again while this grain lives, and
            // resumed by its next activation otherwise.
            LogDeletionPaused(logger, Name);
            _deletion?.Dispose();
            _deletion = null;
            StartDeletion(DeletionRetryDelay);
        }
        catch (Exception e) when (!cancellation.IsCancellationRequested)
        {
            LogDeletionFailed(logger, Name, e);
            _deletion?.Dispose();
            _deletion = null;
            StartDeletion(DeletionRetryDelay);
        }
        catch (OperationCanceledException)
        {
            // The grain is deactivating (the silo stops): the next activation resumes the deletion.
        }
    }

    /// <summary>Tells every broker with open partitions of the topic to run on the new configs.</summary>
    private async Task UpdatePartitionConfigsAsync(IReadOnlyDictionary<string, string> configs)
    {
        foreach (var brokerId in await ForEachBrokerAsync((broker, batch) => broker.UpdateConfigsAsync(Name, batch, configs), CancellationToken.None))
        {
            // Its partitions are closed while it is away, and read the configs when they open again.
            LogBrokerAway(logger, Name, brokerId);
        }
    }

    /// <summary>
    /// Calls <paramref name="call"/> on each broker's logs with its partitions of the topic, a batch at a time (brokers
    /// in parallel, a broker's batches one after the other; a batch that timed out is sent again, the calls being
    /// idempotent). Returns the brokers that are not live members, whose partitions were skipped.
    /// </summary>
    private async Task<IReadOnlyList<int>> ForEachBrokerAsync(Func<IBrokerLogsGrain, IReadOnlyList<int>, Task> call, CancellationToken cancellation)
    {
        var byBroker = new Dictionary<int, List<int>>();
        for (var p = 0; p < state.State.Partitions.Count; p++)
        {
            foreach (var brokerId in state.State.Partitions[p].Replicas)
            {
                if (!byBroker.TryGetValue(brokerId, out var partitions))
                {
                    byBroker[brokerId] = partitions = [];
                }

                partitions.Add(p);
            }
        }

        var away = new List<int>();
        await Task.WhenAll(byBroker.Select(async entry =>
        {
            var broker = GrainFactory.GetGrain<IBrokerLogsGrain>(entry.Key);
            try
            {
                foreach (var batch in entry.Value.Chunk(BatchSize))
                {
                    cancellation.ThrowIfCancellationRequested();
                    for (var attempt = 1; ; attempt++)
                    {
                        try
                        {
                            await call(broker, batch);
                            break;
                        }
                        catch (TimeoutException) when (attempt < BatchAttempts)
                        {
                        }
                    }
                }
            }
            catch (BrokerNotAvailableException)
            {
                away.Add(entry.Key);
            }
        }));
        return away;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic} deleted: removing its {Partitions} partitions in the background")]
    private static partial void LogDeletionStarted(ILogger logger, string topic, int partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic}: deletion completed in {Seconds:F1} s")]
    private static partial void LogDeletionCompleted(ILogger logger, string topic, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topic {Topic}: deletion interrupted, tried again shortly")]
    private static partial void LogDeletionFailed(ILogger logger, string topic, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Topic {Topic}: deletion paused while a broker stops; it resumes after")]
    private static partial void LogDeletionPaused(ILogger logger, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topic {Topic}: broker {BrokerId} is not available; it catches up when it is back")]
    private static partial void LogBrokerAway(ILogger logger, string topic, int brokerId);
}

using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Storage.Log;

namespace Tributary.Grains.Storage;

public sealed partial class LogManager
{
    private readonly TaskCompletionSource _shutdownCompleted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Kafka's recovery-point checkpoint (<c>log.flush.offset.checkpoint.interval.ms</c>): every open log with appends
    /// past its checkpoint is flushed and its checkpoint moved to its end, <see cref="RecoveryThreadCount"/> logs at a
    /// time, so that recovery after a crash validates at most what was written since. A log that fails is left for the
    /// next pass.
    /// </summary>
    public async Task CheckpointRecoveryPointsAsync(CancellationToken cancellationToken = default)
    {
        await Parallel.ForEachAsync(
            _open.Values.Where(l => !l.IsClosed).ToArray(),
            new ParallelOptions { MaxDegreeOfParallelism = _threads.Count, CancellationToken = cancellationToken },
            async (log, _) =>
            {
                try
                {
                    await log.CheckpointIfBehindAsync().ConfigureAwait(false);
                }
                catch (ObjectDisposedException)
                {
                    // Closed meanwhile: closing moved its checkpoint.
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    LogCheckpointFailed(_logger, log.Directory, e);
                }
            }).ConfigureAwait(false);
    }

    /// <summary>
    /// Closes every open log in one pass and, when all closed cleanly (and every log was recovered since an unclean
    /// start), writes the clean-shutdown marker. Further opens fail; a second call waits for the first.
    /// <para>Where the system can sync a whole file system (Linux), logs are closed in two rounds around one
    /// <c>syncfs</c>: each log writes what it holds (index entries, producer snapshot) with no fsync; one sync makes
    /// every log's data durable; then each moves its checkpoint to its end and closes, and a second sync makes the
    /// checkpoints durable before the marker is written. Thousands of logs close in two syncs instead of several
    /// fsyncs each. A crash between the rounds leaves the old checkpoints, which recovery starts from.</para>
    /// </summary>
    public async Task ShutdownAsync()
    {
        if (Interlocked.Exchange(ref _shutDown, 1) != 0)
        {
            await _shutdownCompleted.Task.ConfigureAwait(false);
            return;
        }

        try
        {
            var watch = Stopwatch.StartNew();
            await _stopping.CancelAsync().ConfigureAwait(false);
            await Task.Run(StopCleaner).ConfigureAwait(false);
            try
            {
                await _recovery.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            // Opens in progress end (a log they open is closed below); no new one starts.
            await Task.WhenAll(_claims.Values.Select(c => c.Done.Task)).ConfigureAwait(false);
            var logs = _open.Values.ToArray();
            var failures = FileSync.CanSyncFileSystem ? await CloseWithOneSyncAsync(logs).ConfigureAwait(false) : await CloseEachAsync(logs).ConfigureAwait(false);
            _open.Clear();
            _threads.Dispose();
            if (failures > 0)
            {
                return;
            }

            if (!LastShutdownWasClean && !_unrecovered.IsEmpty)
            {
                LogNotMarkedClean(_logger, logs.Length, DataDirectory, watch.ElapsedMilliseconds, _unrecovered.Count);
                return;
            }

            FileSync.AtomicReplace(Path.Combine(DataDirectory, CleanShutdownFileName), []);
            LogCleanShutdown(_logger, logs.Length, DataDirectory, watch.ElapsedMilliseconds);
        }
        finally
        {
            _lock.Dispose();
            _stopping.Dispose();
            _shutdownCompleted.TrySetResult();
        }
    }

    /// <summary>The two rounds around one file-system sync; returns the number of logs that failed.</summary>
    private async Task<int> CloseWithOneSyncAsync(PartitionLog[] logs)
    {
        var failures = 0;
        var begun = await Task.WhenAll(logs.Select(log => _threads.RunAsync(() =>
        {
            try
            {
                return log.BeginUnsyncedCloseAsync().AsTask().GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Interlocked.Increment(ref failures);
                LogCloseFailed(_logger, log.Directory, e);
                return false;
            }
        }, urgent: true))).ConfigureAwait(false);
        try
        {
            FileSync.TrySyncFileSystem(DataDirectory);
        }
        catch (IOException e)
        {
            // Nothing is known durable: no checkpoint moves, the next start recovers from the old ones.
            LogSyncFailed(_logger, DataDirectory, e);
            return logs.Length;
        }

        await Task.WhenAll(logs.Where((_, i) => begun[i]).Select(log => _threads.RunAsync(() =>
        {
            try
            {
                log.CompleteUnsyncedClose();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Interlocked.Increment(ref failures);
                LogCloseFailed(_logger, log.Directory, e);
            }

            return 0;
        }, urgent: true))).ConfigureAwait(false);
        try
        {
            FileSync.TrySyncFileSystem(DataDirectory);
        }
        catch (IOException e)
        {
            // The checkpoints may not be durable: no marker, so the next start does not trust logs without one.
            LogSyncFailed(_logger, DataDirectory, e);
            failures++;
        }

        return failures;
    }

    /// <summary>Closes each log with its own fsyncs, <see cref="RecoveryThreadCount"/> at a time; returns the number that failed.</summary>
    private async Task<int> CloseEachAsync(PartitionLog[] logs)
    {
        var failures = 0;
        await Task.WhenAll(logs.Select(log => _threads.RunAsync(() =>
        {
            try
            {
                log.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Interlocked.Increment(ref failures);
                LogCloseFailed(_logger, log.Directory, e);
            }

            return 0;
        }, urgent: true))).ConfigureAwait(false);
        return failures;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "All {Logs} logs in {DataDirectory} flushed and closed in {ElapsedMs} ms; clean-shutdown marker written")]
    private static partial void LogCleanShutdown(ILogger logger, int logs, string dataDirectory, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information, Message = "All {Logs} logs in {DataDirectory} flushed and closed in {ElapsedMs} ms; no clean-shutdown marker: {Unrecovered} logs were not recovered since the unclean shutdown, the next start recovers them")]
    private static partial void LogNotMarkedClean(ILogger logger, int logs, string dataDirectory, long elapsedMs, int unrecovered);

    [LoggerMessage(Level = LogLevel.Error, Message = "Closing log {Directory} failed; the next start will recover it")]
    private static partial void LogCloseFailed(ILogger logger, string directory, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Syncing {DataDirectory} failed; the next start recovers every log from its last checkpoint")]
    private static partial void LogSyncFailed(ILogger logger, string dataDirectory, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpointing log {Directory} failed; tried again at the next checkpoint")]
    private static partial void LogCheckpointFailed(ILogger logger, string directory, Exception exception);
}

using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Storage.Log;

namespace Tributary.Grains.Storage;

public sealed partial class LogManager
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _recovery = Task.CompletedTask;
    private long _bytesRecovered;

    /// <summary>Bytes validated past their checkpoints by the recovery of logs since an unclean shutdown, so far.</summary>
    public long BytesRecovered => Interlocked.Read(ref _bytesRecovered);

    /// <summary>
    /// Logs recovered in the background at once: one thread fewer than there are, so that a log a client asks for
    /// always finds a thread free to recover it (all of them when there is only one).
    /// </summary>
    private int BackgroundRecoveryThreads => Math.Max(1, _threads.Count - 1);

    /// <summary>
    /// Kafka's log loading at start-up, in the background: after an unclean shutdown, recovers every log not yet
    /// opened, <see cref="BackgroundRecoveryThreads"/> at a time, each to a checkpoint at its end (so a second crash finds
    /// nothing to validate), then closes it; a log whose checkpoint is already at its end is only looked at. Also
    /// finishes directory deletions a crash interrupted. <paramref name="configs"/> gives a partition's log config (its
    /// topic's configs over the broker's defaults; null for a partition no topic has, which recovers with the
    /// defaults). Returns when done, or when <see cref="ShutdownAsync"/> stops it.
    /// </summary>
    public Task RecoverAsync(Func<string, int, CancellationToken, ValueTask<LogConfig?>> configs)
    {
        ObjectDisposedException.ThrowIf(IsShutDown, this);
        var run = RunRecoveryAsync(configs, _stopping.Token);
        _recovery = run;
        return run;
    }

    private async Task RunRecoveryAsync(Func<string, int, CancellationToken, ValueTask<LogConfig?>> configs, CancellationToken cancellation)
    {
        await Task.Yield();
        foreach (var doomed in _interruptedDeletions)
        {
            try
            {
                Directory.Delete(doomed, recursive: true);
            }
            catch (DirectoryNotFoundException)
            {
            }
        }

        var pending = _unrecovered.Keys.Order(StringComparer.Ordinal).ToArray();
        if (pending.Length == 0)
        {
            return;
        }

        LogRecoveryStarted(_logger, pending.Length, DataDirectory, _threads.Count);
        var watch = Stopwatch.StartNew();
        var validated = 0;
        var unchanged = 0;
        try
        {
            await Parallel.ForEachAsync(
                pending,
                new ParallelOptions { MaxDegreeOfParallelism = BackgroundRecoveryThreads, CancellationToken = cancellation },
                async (directory, token) =>
                {
                    switch (await RecoverOneAsync(directory, configs, token).ConfigureAwait(false))
                    {
                        case RecoveryOutcome.Validated:
                            Interlocked.Increment(ref validated);
                            break;
                        case RecoveryOutcome.NothingToValidate:
                            Interlocked.Increment(ref unchanged);
                            break;
                    }
                }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            LogRecoveryStopped(_logger, _unrecovered.Count, DataDirectory);
            return;
        }

        // Logs that clients opened first may still be recovering: the pass is done when they are.
        await Task.WhenAll(_claims.Values.Select(c => c.Done.Task)).ConfigureAwait(false);

        LogRecoveryCompleted(_logger, pending.Length, DataDirectory, watch.ElapsedMilliseconds, validated, unchanged, BytesRecovered, _unrecovered.Count);
    }

    private async Task<RecoveryOutcome> RecoverOneAsync(
        string directory, Func<string, int, CancellationToken, ValueTask<LogConfig?>> configs, CancellationToken cancellation)
    {
        if (!_unrecovered.ContainsKey(directory)
            || !LogFileNames.TryParsePartitionDirectoryName(Path.GetFileName(directory), out var topic, out var partition))
        {
            return RecoveryOutcome.Skipped;
        }

        try
        {
            if (!Directory.Exists(directory) || LogLoader.HasNothingToRecover(directory))
            {
                // Opened later (or never), it trusts its checkpoint: nothing of it is left to recover.
                _unrecovered.TryRemove(directory, out _);
                return RecoveryOutcome.NothingToValidate;
            }

            var config = await configs(topic, partition, cancellation).ConfigureAwait(false) ?? LogConfig.Default;
            var claim = new Claim(ForOpen: false);
            if (!_claims.TryAdd(directory, claim))
            {
                // Being opened: the open recovers it.
                return RecoveryOutcome.Skipped;
            }

            try
            {
                if (IsShutDown || !_unrecovered.ContainsKey(directory) || _open.ContainsKey(directory))
                {
                    return RecoveryOutcome.Skipped;
                }

                await _threads.RunAsync(() => RecoverAndClose(directory, config), urgent: false).ConfigureAwait(false);
                _unrecovered.TryRemove(directory, out _);
                return RecoveryOutcome.Validated;
            }
            finally
            {
                _claims.TryRemove(directory, out _);
                claim.Done.TrySetResult();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            // Left unrecovered: a client's open tries again and reports the failure to it; no marker is written.
            LogRecoveryFailed(_logger, directory, e);
            return RecoveryOutcome.Skipped;
        }
    }

    private int RecoverAndClose(string directory, LogConfig config)
    {
        var log = PartitionLog.Open(directory, config, lastShutdownWasClean: false, _time, _loggerFactory.CreateLogger<PartitionLog>());
        Interlocked.Add(ref _bytesRecovered, log.Loaded.BytesRecovered);
        log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return 0;
    }

    private enum RecoveryOutcome
    {
        Skipped,
        NothingToValidate,
        Validated,
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovering {Logs} logs in {DataDirectory} in the background since no clean-shutdown marker was found ({Threads} threads); a log asked for meanwhile recovers first")]
    private static partial void LogRecoveryStarted(ILogger logger, int logs, string dataDirectory, int threads);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovered {Logs} logs in {DataDirectory} in {ElapsedMs} ms: {Validated} validated past their checkpoint, {Unchanged} already at it, the others opened by clients first; {Bytes} bytes validated in all; {Left} left unrecovered")]
    private static partial void LogRecoveryCompleted(ILogger logger, int logs, string dataDirectory, long elapsedMs, int validated, int unchanged, long bytes, int left);

    [LoggerMessage(Level = LogLevel.Information, Message = "Background recovery stopped by shutdown with {Left} logs of {DataDirectory} unrecovered; no clean-shutdown marker will be written")]
    private static partial void LogRecoveryStopped(ILogger logger, int left, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Error, Message = "Recovering log {Directory} failed; it is tried again when opened")]
    private static partial void LogRecoveryFailed(ILogger logger, string directory, Exception exception);
}

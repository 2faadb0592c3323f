using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Grains.Storage.Log;

namespace Tributary.Grains.Storage;

/// <summary>
/// Owns one broker's data directory, after Kafka's LogManager: the partition logs under it, an exclusive lock so that
/// no second process opens the same directory, the recovery of every log after a crash and the clean-shutdown marker.
/// <para>The marker (<c>.clean_shutdown</c>) is written by <see cref="ShutdownAsync"/> once every open log has been
/// flushed and closed, and removed when the next run starts. Its presence tells that run that the previous one
/// ended cleanly, so logs are trusted as they are (Kafka's rule); its absence means a crash, and every log recovers
/// from its checkpoint (see <see cref="LogLoader"/>): in the background (<see cref="RecoverAsync"/>), or at once when
/// it is opened first. As in Kafka, the marker is written again only when every log was recovered meanwhile (or the
/// run itself started clean), so that a log no run has recovered is never trusted.</para>
/// <para>Opening a log that needs recovery, recovering in the background and closing many logs at shutdown run on
/// <c>num.recovery.threads.per.data.dir</c> dedicated threads (<see cref="RecoveryThreads"/>).</para>
/// <para>Thread-safe. A directory is worked on by one party at a time: an open, or a background recovery (a claim per
/// directory; an open waits for a recovery in progress and recovers the log itself otherwise).</para>
/// </summary>
public sealed partial class LogManager : IAsyncDisposable
{
    public const string CleanShutdownFileName = ".clean_shutdown";
    public const string LockFileName = ".lock";

    /// <summary>The suffix of a partition directory being deleted (Kafka's <c>-delete</c>).</summary>
    public const string DeletedDirectorySuffix = "-delete";

    /// <summary>
    /// Kafka's <c>num.recovery.threads.per.data.dir</c> defaults to 1; here 4: the work is mostly waiting on the disk
    /// (reads of unflushed tails, fsyncs, file creations), which several requests at once keep busy, and little CPU.
    /// </summary>
    public const int DefaultRecoveryThreads = 4;

    private readonly ConcurrentDictionary<string, PartitionLog> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Claim> _claims = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _unrecovered = new(StringComparer.Ordinal);
    private readonly string[] _interruptedDeletions;
    private readonly RecoveryThreads _threads;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly FileStream _lock;
    private int _shutDown;

    /// <summary>Where the logs' flush rounds are counted and timed; set at construction.</summary>
    public LogFlushStats FlushStats { get; init; } = LogFlushStats.None;

    public LogManager(
        string dataDirectory,
        TimeProvider? time = null,
        ILoggerFactory? loggerFactory = null,
        int recoveryThreads = DefaultRecoveryThreads)
    {
        DataDirectory = Path.GetFullPath(dataDirectory);
        _time = time ?? TimeProvider.System;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<LogManager>();
        _threads = new RecoveryThreads(recoveryThreads, "log-recovery");
        Directory.CreateDirectory(DataDirectory);
        try
        {
            _lock = new FileStream(Path.Combine(DataDirectory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new IOException($"The data directory {DataDirectory} is in use by another process.", e);
        }

        var marker = Path.Combine(DataDirectory, CleanShutdownFileName);
        LastShutdownWasClean = File.Exists(marker);
        if (LastShutdownWasClean)
        {
            // Removed before anything changes, so that a crash during this run is seen as one (Kafka's KAFKA-10471).
            File.Delete(marker);
            FileSync.FlushDirectory(DataDirectory);
        }

        // Deletions a crash interrupted are finished in the background (RecoverAsync): no log opens those names.
        _interruptedDeletions = [.. Directory.EnumerateDirectories(DataDirectory, "*" + DeletedDirectorySuffix)];
        var logs = 0;
        foreach (var (topic, partition) in ListPartitions())
        {
            logs++;
            if (!LastShutdownWasClean)
            {
                _unrecovered.TryAdd(PartitionDirectory(topic, partition), 0);
            }
        }

        if (logs == 0)
        {
            LogNoLogs(_logger, DataDirectory);
        }
        else
        {
            LogStarted(_logger, DataDirectory, logs, LastShutdownWasClean);
        }
    }

    public string DataDirectory { get; }

    /// <summary>True when the previous run wrote the clean-shutdown marker.</summary>
    public bool LastShutdownWasClean { get; }

    /// <summary>Number of logs open now.</summary>
    public int OpenLogCount => _open.Count;

    /// <summary>Logs not yet recovered since an unclean shutdown (none after a clean one).</summary>
    public int UnrecoveredLogCount => _unrecovered.Count;

    /// <summary>How many logs are recovered or closed at once (<c>num.recovery.threads.per.data.dir</c>).</summary>
    public int RecoveryThreadCount => _threads.Count;

    /// <summary>True once <see cref="ShutdownAsync"/> began: no log opens any more.</summary>
    public bool IsShutDown => Volatile.Read(ref _shutDown) != 0;

    public string PartitionDirectory(string topic, int partition) =>
        Path.Combine(DataDirectory, LogFileNames.PartitionDirectoryName(topic, partition));

    /// <summary>
    /// Opens the log of a partition; a log has one owner, so opening it twice is an error. With
    /// <paramref name="topicId"/>, a directory left by an earlier topic of the same name (another id) is removed first
    /// and the directory is marked with this id. A log not yet recovered since an unclean shutdown is recovered now,
    /// ahead of the background recovery; one the background recovery is working on is waited for.
    /// </summary>
    public async Task<PartitionLog> OpenAsync(string topic, int partition, LogConfig config, Guid? topicId = null)
    {
        ObjectDisposedException.ThrowIf(IsShutDown, this);
        var directory = PartitionDirectory(topic, partition);
        var claim = new Claim(ForOpen: true);
        while (!_claims.TryAdd(directory, claim))
        {
            if (_claims.TryGetValue(directory, out var other))
            {
                if (other.ForOpen)
                {
                    throw new InvalidOperationException($"The log {directory} is already open.");
                }

                await other.Done.Task.ConfigureAwait(false);
            }
        }

        try
        {
            // Checked again once claimed: a shutdown that began meanwhile waits only for claims it saw.
            ObjectDisposedException.ThrowIf(IsShutDown, this);
            if (_open.ContainsKey(directory))
            {
                throw new InvalidOperationException($"The log {directory} is already open.");
            }

            var log = _unrecovered.ContainsKey(directory)
                ? await _threads.RunAsync(() => OpenDirectory(topic, partition, directory, config, topicId), urgent: true).ConfigureAwait(false)
                : await Task.Run(() => OpenDirectory(topic, partition, directory, config, topicId)).ConfigureAwait(false);
            _unrecovered.TryRemove(directory, out _);
            _open[directory] = log;
            return log;
        }
        finally
        {
            _claims.TryRemove(directory, out _);
            claim.Done.TrySetResult();
        }
    }

    /// <summary>Flushes and closes a log opened here.</summary>
    public async ValueTask CloseAsync(PartitionLog log)
    {
        await log.DisposeAsync().ConfigureAwait(false);
        _open.TryRemove(new KeyValuePair<string, PartitionLog>(log.Directory, log));
    }

    /// <summary>
    /// Removes a partition's directory (its log must be closed): renamed first, so that a crash midway leaves a
    /// directory no log will open, then deleted.
    /// </summary>
    public void DeletePartition(string topic, int partition)
    {
        var directory = PartitionDirectory(topic, partition);
        if (_open.ContainsKey(directory) || _claims.ContainsKey(directory))
        {
            throw new InvalidOperationException($"The log {directory} is open.");
        }

        _unrecovered.TryRemove(directory, out _);
        Cleaner?.Forget(LogFileNames.PartitionDirectoryName(topic, partition));
        if (!Directory.Exists(directory))
        {
            return;
        }

        var doomed = $"{directory}.{Guid.NewGuid():N}{DeletedDirectorySuffix}";
        Directory.Move(directory, doomed);
        FileSync.FlushDirectory(DataDirectory);
        Directory.Delete(doomed, recursive: true);
    }

    /// <summary>Whether the partition's directory belongs to the topic of <paramref name="topicId"/> (or is not marked with any).</summary>
    public bool HoldsTopic(string topic, int partition, Guid topicId) =>
        (PartitionMetadata.TryReadTopicId(PartitionDirectory(topic, partition)) ?? topicId) == topicId;

    /// <summary>True while the partition's log is open here, or being opened.</summary>
    public bool IsOpen(string topic, int partition)
    {
        var directory = PartitionDirectory(topic, partition);
        return _open.ContainsKey(directory) || (_claims.TryGetValue(directory, out var claim) && claim.ForOpen);
    }

    /// <summary>The partition's log when it is open here, or null.</summary>
    public PartitionLog? OpenLog(string topic, int partition) => _open.GetValueOrDefault(PartitionDirectory(topic, partition));

    /// <summary>The bytes of the partition's segment files here (0 without a directory), for a log that is not open.</summary>
    public long SizeOnDisk(string topic, int partition)
    {
        var directory = new DirectoryInfo(PartitionDirectory(topic, partition));
        return directory.Exists ? directory.EnumerateFiles("*" + LogFileNames.LogSuffix).Sum(f => f.Length) : 0;
    }

    /// <summary>True when the partition has a directory here.</summary>
    public bool Exists(string topic, int partition) => Directory.Exists(PartitionDirectory(topic, partition));

    /// <summary>The partitions that have a directory here.</summary>
    public IEnumerable<(string Topic, int Partition)> ListPartitions()
    {
        foreach (var directory in Directory.EnumerateDirectories(DataDirectory))
        {
            if (LogFileNames.TryParsePartitionDirectoryName(Path.GetFileName(directory), out var topic, out var partition))
            {
                yield return (topic, partition);
            }
        }
    }

    public async ValueTask DisposeAsync() => await ShutdownAsync().ConfigureAwait(false);

    private PartitionLog OpenDirectory(string topic, int partition, string directory, LogConfig config, Guid? topicId)
    {
        if (topicId is { } id && PartitionMetadata.TryReadTopicId(directory) is { } stored && stored != id)
        {
            LogStrayDirectory(_logger, directory, stored, id);
            RemoveDirectory(directory);
        }

        var unrecovered = _unrecovered.ContainsKey(directory);
        var log = PartitionLog.Open(directory, config, LastShutdownWasClean || !unrecovered, _time, _loggerFactory.CreateLogger<PartitionLog>());
        log.FlushStats = FlushStats;
        if (unrecovered)
        {
            Interlocked.Add(ref _bytesRecovered, log.Loaded.BytesRecovered);
        }

        if (topicId is { } marked && PartitionMetadata.TryReadTopicId(directory) != marked)
        {
            PartitionMetadata.Write(directory, marked);
        }

        return log;
    }

    private void RemoveDirectory(string directory)
    {
        _unrecovered.TryRemove(directory, out _);
        if (Directory.Exists(directory))
        {
            var doomed = $"{directory}.{Guid.NewGuid():N}{DeletedDirectorySuffix}";
            Directory.Move(directory, doomed);
            FileSync.FlushDirectory(DataDirectory);
            Directory.Delete(doomed, recursive: true);
        }
    }

    /// <summary>Who works on a directory now: an open, or a background recovery; <see cref="Done"/> completes when it ends.</summary>
    private sealed record Claim(bool ForOpen)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition directory {Directory} belongs to topic id {Stored}, not {Current}: a deleted topic's stray log, removed")]
    private static partial void LogStrayDirectory(ILogger logger, string directory, Guid stored, Guid current);

    [LoggerMessage(Level = LogLevel.Information, Message = "Log directory {DataDirectory} opened with {Logs} logs; previous shutdown clean: {Clean}")]
    private static partial void LogStarted(ILogger logger, string dataDirectory, int logs, bool clean);

    [LoggerMessage(Level = LogLevel.Information, Message = "Log directory {DataDirectory} opened; no logs found, nothing to recover")]
    private static partial void LogNoLogs(ILogger logger, string dataDirectory);
}

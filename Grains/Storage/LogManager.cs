using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tributary.Grains.Storage.Log;

namespace Tributary.Grains.Storage;

/// <summary>
/// Owns one broker's data directory: the partition logs under it, an exclusive lock so that no second process
/// opens the same directory, and the clean-shutdown marker.
/// <para>The marker (<c>.clean_shutdown</c>) is written by <see cref="ShutdownAsync"/> once every open log has been
/// flushed and closed, and removed when the next run starts. Its presence tells that run that the previous one
/// ended cleanly, so logs are trusted as they are (Kafka's rule); its absence means a crash, and logs recover from
/// their checkpoints (see <see cref="LogLoader"/>).</para>
/// <para>Thread-safe.</para>
/// </summary>
public sealed partial class LogManager : IAsyncDisposable
{
    public const string CleanShutdownFileName = ".clean_shutdown";
    public const string LockFileName = ".lock";

    /// <summary>The suffix of a partition directory being deleted (Kafka's <c>-delete</c>).</summary>
    public const string DeletedDirectorySuffix = "-delete";

    private readonly ConcurrentDictionary<string, PartitionLog> _open = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _opening = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly FileStream _lock;
    private int _shutDown;

    public LogManager(string dataDirectory, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
    {
        DataDirectory = Path.GetFullPath(dataDirectory);
        _time = time ?? TimeProvider.System;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<LogManager>();
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
            File.Delete(marker);
            FileSync.FlushDirectory(DataDirectory);
        }

        foreach (var doomed in Directory.EnumerateDirectories(DataDirectory, "*" + DeletedDirectorySuffix))
        {
            // A deletion that a crash interrupted.
            Directory.Delete(doomed, recursive: true);
        }

        LogStarted(_logger, DataDirectory, LastShutdownWasClean);
    }

    public string DataDirectory { get; }

    /// <summary>True when the previous run wrote the clean-shutdown marker.</summary>
    public bool LastShutdownWasClean { get; }

    /// <summary>Number of logs open now.</summary>
    public int OpenLogCount => _open.Count;

    public string PartitionDirectory(string topic, int partition) =>
        Path.Combine(DataDirectory, LogFileNames.PartitionDirectoryName(topic, partition));

    /// <summary>
    /// Opens the log of a partition; a log has one owner, so opening it twice is an error. With
    /// <paramref name="topicId"/>, a directory left by an earlier topic of the same name (another id) is removed first
    /// and the directory is marked with this id.
    /// </summary>
    public PartitionLog Open(string topic, int partition, LogConfig config, Guid? topicId = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _shutDown) != 0, this);
        var directory = PartitionDirectory(topic, partition);
        if (!_opening.TryAdd(directory, 0) || _open.ContainsKey(directory))
        {
            _opening.TryRemove(directory, out _);
            throw new InvalidOperationException($"The log {directory} is already open.");
        }

        try
        {
            if (topicId is { } id && PartitionMetadata.TryReadTopicId(directory) is { } stored && stored != id)
            {
                LogStrayDirectory(_logger, directory, stored, id);
                DeletePartition(topic, partition);
            }

            var log = PartitionLog.Open(directory, config, LastShutdownWasClean, _time, _loggerFactory.CreateLogger<PartitionLog>());
            if (topicId is { } marked && PartitionMetadata.TryReadTopicId(directory) != marked)
            {
                PartitionMetadata.Write(directory, marked);
            }

            _open[directory] = log;
            return log;
        }
        finally
        {
            _opening.TryRemove(directory, out _);
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
        if (_open.ContainsKey(directory))
        {
            throw new InvalidOperationException($"The log {directory} is open.");
        }

        if (!Directory.Exists(directory))
        {
            return;
        }

        var doomed = $"{directory}.{Guid.NewGuid():N}{DeletedDirectorySuffix}";
        Directory.Move(directory, doomed);
        FileSync.FlushDirectory(DataDirectory);
        Directory.Delete(doomed, recursive: true);
    }

    /// <summary>True while the partition's log is open here, or being opened.</summary>
    public bool IsOpen(string topic, int partition)
    {
        var directory = PartitionDirectory(topic, partition);
        return _open.ContainsKey(directory) || _opening.ContainsKey(directory);
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

    /// <summary>
    /// Closes every open log and, when all closed cleanly, writes the clean-shutdown marker. Further opens fail.
    /// </summary>
    public async Task ShutdownAsync()
    {
        if (Interlocked.Exchange(ref _shutDown, 1) != 0)
        {
            return;
        }

        var failures = 0;
        foreach (var log in _open.Values)
        {
            try
            {
                await CloseAsync(log).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                failures++;
                LogCloseFailed(_logger, log.Directory, e);
            }
        }

        if (failures == 0)
        {
            FileSync.AtomicReplace(Path.Combine(DataDirectory, CleanShutdownFileName), []);
            LogCleanShutdown(_logger, DataDirectory);
        }

        _lock.Dispose();
    }

    public async ValueTask DisposeAsync() => await ShutdownAsync().ConfigureAwait(false);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition directory {Directory} belongs to topic id {Stored}, not {Current}: a deleted topic's stray log, removed")]
    private static partial void LogStrayDirectory(ILogger logger, string directory, Guid stored, Guid current);

    [LoggerMessage(Level = LogLevel.Information, Message = "Log directory {DataDirectory} opened; previous shutdown clean: {Clean}")]
    private static partial void LogStarted(ILogger logger, string dataDirectory, bool clean);

    [LoggerMessage(Level = LogLevel.Information, Message = "All logs in {DataDirectory} flushed and closed; clean-shutdown marker written")]
    private static partial void LogCleanShutdown(ILogger logger, string dataDirectory);

    [LoggerMessage(Level = LogLevel.Error, Message = "Closing log {Directory} failed; the next start will recover it")]
    private static partial void LogCloseFailed(ILogger logger, string directory, Exception exception);
}

using Microsoft.Extensions.Logging;
using Tributary.Grains.Storage.Log;

namespace Tributary.Grains.Storage.Cleaner;

/// <summary>
/// The log cleaner of one data directory, after Kafka's LogCleaner and LogCleanerManager: <c>log.cleaner.threads</c>
/// background threads, each with its own offset map (<c>log.cleaner.dedupe.buffer.size</c> shared out), that pick the
/// filthiest compacted log (the largest share of dirty bytes above its <c>min.cleanable.dirty.ratio</c>, or any whose
/// oldest dirty record waited <c>max.compaction.lag.ms</c>, or whose tombstones' delete horizon passed), clean it
/// (<see cref="LogCompactor"/>) and record where the cleaning ended in <c>cleaner-offset-checkpoint</c>. A thread
/// that finds nothing sleeps <c>log.cleaner.backoff.ms</c> or until <see cref="Wake"/>. I/O of all threads together
/// is held under <c>log.cleaner.io.max.bytes.per.second</c>.
/// <para>Threads: dedicated threads (cleaning is long, blocking file work that must not take the thread pool);
/// selection runs under a lock so that two threads never clean one log. A log closed or deleted while being cleaned
/// ends that cleaning, nothing committed for the group in progress.</para>
/// </summary>
public sealed partial class LogCleaner : IDisposable
{
    private readonly CleanerOptions _options;
    private readonly Func<IEnumerable<PartitionLog>> _logs;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CleanerCheckpoint _checkpoint;
    private readonly IoThrottle _throttle;
    private readonly Lock _lock = new();
    private readonly HashSet<PartitionLog> _inProgress = [];
    private readonly Dictionary<string, long> _deleteHorizons = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly List<Thread> _threads = [];

    public LogCleaner(
        string dataDirectory, CleanerOptions options, Func<IEnumerable<PartitionLog>> logs, TimeProvider time, ILogger logger)
    {
        _options = options;
        _logs = logs;
        _time = time;
        _logger = logger;
        _checkpoint = new CleanerCheckpoint(dataDirectory);
        _throttle = new IoThrottle(options.IoMaxBytesPerSecond, time);
    }

    /// <summary>Cleanings done since start.</summary>
    public int Cleanings { get; private set; }

    /// <summary>Starts the threads (none when the cleaner is disabled).</summary>
    public void Start()
    {
        if (!_options.Enabled)
        {
            return;
        }

        for (var i = 0; i < _options.Threads; i++)
        {
            var thread = new Thread(Run) { IsBackground = true, Name = $"log-cleaner-{i}" };
            _threads.Add(thread);
            thread.Start();
        }
    }

    /// <summary>Asks idle threads to look for work now (a compacted log changed config, a test wants a cleaning).</summary>
    public void Wake() => _wake.Release(Math.Max(1, _threads.Count));

    /// <summary>Forgets a deleted partition's checkpoint.</summary>
    public void Forget(string topicPartition)
    {
        _checkpoint.Remove(topicPartition);
        lock (_lock)
        {
            _deleteHorizons.Remove(topicPartition);
        }
    }

    /// <summary>Where the next cleaning of <paramref name="topicPartition"/> starts.</summary>
    public long FirstDirtyOffset(string topicPartition) => _checkpoint.Get(topicPartition);

    /// <summary>
    /// Cleans the filthiest log with <paramref name="map"/>, if any log is due. Returns what was done, or null when
    /// nothing was.
    /// </summary>
    internal CleaningResult? CleanFilthiestLog(OffsetMap map) => CleanFilthiestLog(() => map);

    /// <summary>
    /// As <see cref="CleanFilthiestLog(OffsetMap)"/>, asking for the map only once a log is due, so that a broker
    /// without compacted logs never allocates one.
    /// </summary>
    private CleaningResult? CleanFilthiestLog(Func<OffsetMap> map)
    {
        var chosen = GrabFilthiestLog();
        if (chosen is not { } pick)
        {
            return null;
        }

        try
        {
            // Sealed segments become cleanable once fsynced (the recovery point passes them): flush rather than wait.
            var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
            if (CleanableRange.FirstUncleanableOffset(pick.Log, nowMs) < CleanableRange.FirstUncleanableOffset(pick.Log, nowMs, unflushed: true))
            {
                pick.Log.FlushAsync().GetAwaiter().GetResult();
            }

            var result = new LogCompactor(map(), _throttle, _time, Math.Max(4096, _options.IoBufferSize)).Clean(pick.Log, pick.FirstDirtyOffset, _stop.Token);
            if (result is not null)
            {
                _checkpoint.Set(pick.Log.TopicPartition, result.EndOffset);
                lock (_lock)
                {
                    if (result.EarliestDeleteHorizonMs is { } horizon)
                    {
                        _deleteHorizons[pick.Log.TopicPartition] = horizon;
                    }
                    else
                    {
                        _deleteHorizons.Remove(pick.Log.TopicPartition);
                    }

                    Cleanings++;
                }

                LogCleaned(_logger, pick.Log.TopicPartition, result.FirstDirtyOffset, result.EndOffset, result.BytesRead, result.BytesWritten, result.SegmentsBefore, result.SegmentsAfter);
            }

            return result;
        }
        finally
        {
            lock (_lock)
            {
                _inProgress.Remove(pick.Log);
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _wake.Release(Math.Max(1, _threads.Count));
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        _stop.Dispose();
        _wake.Dispose();
    }

    private (PartitionLog Log, long FirstDirtyOffset)? GrabFilthiestLog()
    {
        var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_lock)
        {
            (PartitionLog Log, long FirstDirty, double Ratio)? best = null;
            foreach (var log in _logs())
            {
                var config = log.Config;
                if (!config.Compact || log.IsClosed || _inProgress.Contains(log))
                {
                    continue;
                }

                var firstDirty = _checkpoint.Get(log.TopicPartition);
                if (firstDirty < log.LogStartOffset || firstDirty > log.LogEndOffset)
                {
                    firstDirty = log.LogStartOffset;
                }

                var tombstonesDue = _deleteHorizons.TryGetValue(log.TopicPartition, out var horizon) && horizon <= nowMs;
                if (tombstonesDue)
                {
                    // Tombstones or markers are due to go: clean from the start even if nothing is dirty.
                    firstDirty = log.LogStartOffset;
                }

                var firstUncleanable = CleanableRange.FirstUncleanableOffset(log, nowMs, unflushed: true);
                if (firstDirty >= firstUncleanable)
                {
                    continue;
                }

                var segments = log.Segments;
                var cleanBytes = LogSegments.SizeOf(segments.InRange(log.LogStartOffset, firstDirty));
                var dirtyBytes = LogSegments.SizeOf(segments.InRange(firstDirty, firstUncleanable));
                var total = cleanBytes + dirtyBytes;
                var ratio = total == 0 ? 0 : (double)dirtyBytes / total;
                var firstDirtySegment = segments.Floor(firstDirty);
                var waited = firstDirtySegment is not null && firstDirtySegment.FirstBatchTimestamp >= 0
                    && nowMs - firstDirtySegment.FirstBatchTimestamp > config.MaxCompactionLagMs;
                if (waited || tombstonesDue)
                {
                    ratio = double.MaxValue;
                }
                else if (ratio < config.MinCleanableDirtyRatio || dirtyBytes == 0)
                {
                    continue;
                }

                if (best is null || ratio > best.Value.Ratio)
                {
                    best = (log, firstDirty, ratio);
                }
            }

            if (best is not { } chosen)
            {
                return null;
            }

            _inProgress.Add(chosen.Log);
            return (chosen.Log, chosen.FirstDirty);
        }
    }

    private void Run()
    {
        // The thread's share of log.cleaner.dedupe.buffer.size, allocated at its first cleaning and kept for the next.
        OffsetMap? allocated = null;
        OffsetMap Map() => allocated ??= new OffsetMap(
            Math.Max(2 * OffsetMap.BytesPerEntry, _options.DedupeBufferSize / Math.Max(1, _options.Threads)), _options.DedupeBufferLoadFactor);
        while (!_stop.IsCancellationRequested)
        {
            CleaningResult? result = null;
            try
            {
                result = CleanFilthiestLog(Map);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidDataException or UnauthorizedAccessException)
            {
                LogCleaningFailed(_logger, exception);
            }

            if (result is null)
            {
                try
                {
                    _wake.Wait(TimeSpan.FromMilliseconds(_options.BackoffMs), _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cleaned {TopicPartition} from offset {FirstDirtyOffset} to {EndOffset}: {BytesRead} bytes read, {BytesWritten} written, {SegmentsBefore} segments now {SegmentsAfter}")]
    private static partial void LogCleaned(ILogger logger, string topicPartition, long firstDirtyOffset, long endOffset, long bytesRead, long bytesWritten, int segmentsBefore, int segmentsAfter);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A log cleaning was stopped; the log stays as it was and is cleaned again later")]
    private static partial void LogCleaningFailed(ILogger logger, Exception exception);
}

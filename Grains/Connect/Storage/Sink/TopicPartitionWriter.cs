using Microsoft.Extensions.Logging;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Storage.Files;
using Tributary.Grains.Connect.Storage.Formats;
using Tributary.Grains.Connect.Storage.Hive;
using Tributary.Grains.Connect.Storage.Partitioner;
using Tributary.Grains.Connect.Storage.Stores;

namespace Tributary.Grains.Connect.Storage.Sink;

/// <summary>
/// Writes one topic partition's records into files (the HDFS connector's <c>TopicPartitionWriter</c>). Records go
/// to one temporary file per encoded partition, under <c>&lt;topics.dir&gt;/+tmp/</c>; the files rotate together,
/// each committed to <c>&lt;topics.dir&gt;/&lt;partitioned path&gt;/&lt;topic&gt;+&lt;partition&gt;+&lt;start&gt;+&lt;end&gt;.ext</c>
/// through the <see cref="CommitLog"/>, when <c>flush.size</c> records are written, when the record time since the
/// files' first record reaches <c>rotate.interval.ms</c>, when <c>rotate.schedule.interval.ms</c>'s next wall-clock
/// time comes, and before a record whose schema changes the files' (per <c>schema.compatibility</c>).
/// <para>
/// Exactly once: the committed files' names are the only record of what has been written. <see cref="RecoverAsync"/>
/// finishes an interrupted commit, deletes this partition's dead temporary files and returns the offset after the
/// largest committed end offset, from which the task must read again; records before that offset arriving later
/// (read ahead before the seek) are ignored. Not thread-safe: one task drives it.
/// </para>
/// </summary>
public sealed class TopicPartitionWriter : IAsyncDisposable
{
    private const string TempDirectory = "+tmp";

    private readonly TopicPartition _partition;
    private readonly StorageSinkConfig _config;
    private readonly IStorage _storage;
    private readonly IRecordWriterProvider _format;
    private readonly Partitioner.Partitioner _partitioner;
    private readonly TimestampExtractor _rotationTime;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CommitLog _log;
    private readonly HiveMetadata? _hive;
    private readonly Dictionary<string, OpenFile> _files = new(StringComparer.Ordinal);
    private string? _lastEncoded; // the last record's partition and its file: partitioners give a run of records one string
    private OpenFile? _lastFile;
    private Schema? _currentSchema;
    private bool _schemaKnown;
    private string? _lastCommittedFile; // whose schema the first record after a recovery meets (see FirstSchemaAsync)
    private int _recordCount;
    private long _firstRecordTime;
    private long _nextScheduledRotation = long.MaxValue;
    private long? _nextExpected;

    public TopicPartitionWriter(
        TopicPartition partition, StorageSinkConfig config, IStorage storage, IRecordWriterProvider format,
        Partitioner.Partitioner partitioner, TimeProvider time, ILogger logger)
    {
        _partition = partition;
        _config = config;
        _storage = storage;
        _format = format;
        _partitioner = partitioner;
        _rotationTime = TimestampExtractor.Create(config.Partitioner);
        _time = time;
        _logger = logger;
        _log = new CommitLog(storage, $"{config.LogsDir}/{partition.Topic}/{partition.Partition}");
        _hive = config.HiveIntegration ? new HiveMetadata(config, storage, partitioner, format.Extension, partition.Topic, partition.Partition) : null;
        ScheduleNextRotation();
    }

    /// <summary>The offset after the committed files' records: what may be committed to Kafka; null before any file.</summary>
    public long? CommittedOffset { get; private set; }

    /// <summary>Records in the files being written.</summary>
    public int PendingRecords => _recordCount;

    /// <summary>
    /// Makes the store consistent for this partition after whatever came before (a crash, another task) and returns
    /// the offset to read from next: after the largest committed end offset, or 0 when nothing is committed.
    /// </summary>
    public async Task<long> RecoverAsync(CancellationToken cancellationToken)
    {
        await DiscardAsync(cancellationToken).ConfigureAwait(false);
        var finished = await _log.RecoverAsync(
            file => _logger.LogWarning("Neither the temporary file {Temp} nor its committed file {Committed} exists", file.Temp, file.Committed),
            cancellationToken).ConfigureAwait(false);
        if (finished.Count > 0)
        {
            _logger.LogInformation("Finished the commit of {Count} files of {Partition} from {Log}", finished.Count, _partition, _log.LogPath);
        }

        await DeleteDeadTempFilesAsync(cancellationToken).ConfigureAwait(false);
        if (_hive is not null)
        {
            await _hive.RecoverAsync(cancellationToken).ConfigureAwait(false);
        }

        var last = await CommittedOffsets.LastFileAsync(
            _storage, $"{_config.TopicsDir}/{_partition.Topic}", _partition.Topic, _partition.Partition, cancellationToken).ConfigureAwait(false);
        CommittedOffset = last?.Name.EndOffset + 1;
        _lastCommittedFile = last?.Path;
        _schemaKnown = false;
        _nextExpected = CommittedOffset;
        ScheduleNextRotation();
        return CommittedOffset ?? 0;
    }

    /// <summary>
    /// Writes one record, rotating first or after as the rules say. A record before the next expected offset is a
    /// stale one read ahead and is ignored. Partitioning or format errors (<see cref="ConnectException"/>s) leave the
    /// files as they were; store errors leave them unusable until <see cref="RecoverAsync"/>. <paramref name="now"/> is
    /// the wall clock's time of the put, read once for all its records as Confluent's writer reads it once per write of
    /// a partition's buffered records (read for each record, it was about a percent of a Parquet sink's time). So a
    /// file opened after a rotation within the put starts its wall-clock interval at the put's time, as Confluent's does.
    /// </summary>
    public async Task WriteAsync(SinkRecord record, long now, CancellationToken cancellationToken)
    {
        if (record.KafkaOffset < _nextExpected)
        {
            return;
        }

        bool changesSchema;
        if (!_schemaKnown)
        {
            _currentSchema = await FirstSchemaAsync(record, cancellationToken).ConfigureAwait(false);
            _schemaKnown = true;
            changesSchema = !ReferenceEquals(_currentSchema, record.ValueSchema) && _config.Compatibility.ShouldChangeSchema(record.ValueSchema, _currentSchema);
        }
        else
        {
            changesSchema = _config.Compatibility.ShouldChangeSchema(record.ValueSchema, _currentSchema);
        }

        if (changesSchema)
        {
            await RotateAsync("schema change", cancellationToken).ConfigureAwait(false);
            _currentSchema = record.ValueSchema;
        }

        if (_hive is not null && record.ValueSchema is not { Type: SchemaType.Struct })
        {
            throw new DataException($"Hive tables need struct values with a schema: the record at {record.Topic}-{record.KafkaPartition}@{record.KafkaOffset} has none");
        }

        var projected = _config.Compatibility.Project(record, _currentSchema);
        var recordTime = _config.RotateIntervalMs > 0 ? _rotationTime.Extract(projected, now) : null;
        if (recordTime is { } time && _recordCount > 0 && time - _firstRecordTime >= _config.RotateIntervalMs)
        {
            await RotateAsync("rotate.interval.ms", cancellationToken).ConfigureAwait(false);
        }

        var encoded = _partitioner.EncodePartition(projected, now);
        if (!ReferenceEquals(encoded, _lastEncoded) || _lastFile is not { } file)
        {
            if (!_files.TryGetValue(encoded, out file))
            {
                file = await OpenAsync(encoded, cancellationToken).ConfigureAwait(false);
            }

            _lastEncoded = encoded;
            _lastFile = file;
        }

        try
        {
            file.Writer.Write(projected);
        }
        catch when (file.Count == 0)
        {
            await DropAsync(encoded, file, cancellationToken).ConfigureAwait(false);
            throw;
        }

        file.Start ??= record.KafkaOffset;
        file.End = record.KafkaOffset;
        file.Count++;
        if (_recordCount++ == 0)
        {
            _firstRecordTime = recordTime ?? now;
        }

        _nextExpected = record.KafkaOffset + 1;
        if (_recordCount >= _config.FlushSize)
        {
            await RotateAsync("flush.size", cancellationToken).ConfigureAwait(false);
        }
        else if (now >= _nextScheduledRotation)
        {
            await RotateAsync("rotate.schedule.interval.ms", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Commits the files when their time has come without a new record: the schedule, or a wall-clock interval.</summary>
    public async Task RotateIfDueAsync(CancellationToken cancellationToken)
    {
        if (_recordCount == 0)
        {
            return;
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (now >= _nextScheduledRotation)
        {
            await RotateAsync("rotate.schedule.interval.ms", cancellationToken).ConfigureAwait(false);
        }
        else if (_config.RotateIntervalMs > 0 && _rotationTime.IsWallclock && now - _firstRecordTime >= _config.RotateIntervalMs)
        {
            await RotateAsync("rotate.interval.ms", cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Closes and deletes the files not committed; their records will be read again.</summary>
    public async Task DiscardAsync(CancellationToken cancellationToken)
    {
        foreach (var (encoded, file) in _files.ToList())
        {
            await DropAsync(encoded, file, cancellationToken).ConfigureAwait(false);
        }

        _recordCount = 0;
        _nextExpected = CommittedOffset;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var file in _files.Values)
        {
            await file.Writer.DisposeAsync().ConfigureAwait(false);
        }

        ClearFiles();
    }

    /// <summary>
    /// The schema of the files the first record after a start or recovery goes to: with a <c>schema.compatibility</c>
    /// other than NONE, the last committed file's (as Confluent's HDFS writer reads it), which the record is then projected
    /// to or rotates from as if the sink had not stopped; otherwise, or for a format or file that names no schema, the
    /// record's own. A file whose schema cannot be read is logged and passed over rather than failing the task for good.
    /// </summary>
    private async Task<Schema?> FirstSchemaAsync(SinkRecord record, CancellationToken cancellationToken)
    {
        if (_config.Compatibility == StorageSchemaCompatibility.None || _lastCommittedFile is not { } path || _format is not ISchemaFileReader reader)
        {
            return record.ValueSchema;
        }

        Schema? schema;
        try
        {
            var file = await _storage.OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
            await using (file.ConfigureAwait(false))
            {
                schema = await reader.ReadSchemaAsync(file, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or ConnectException or FormatException or InvalidDataException or System.Text.Json.JsonException or
                                   global::Avro.AvroException or global::Parquet.ParquetException or global::Parquet.Meta.Proto.ThriftProtocolException)
        {
            _logger.LogWarning(e, "The schema of the last committed file {File} of {Partition} could not be read; the files take the next record's", path, _partition);
            return record.ValueSchema;
        }

        _logger.LogDebug("The files of {Partition} continue with the schema of {File}: {Schema}", _partition, path, schema);
        // The record's own instance where they are equal, so that projecting each record finds it unchanged at once.
        return schema is null || schema.Equals(record.ValueSchema) ? record.ValueSchema : schema;
    }

    private async Task RotateAsync(string reason, CancellationToken cancellationToken)
    {
        ScheduleNextRotation();
        if (_recordCount == 0)
        {
            return;
        }

        var commits = new List<PendingCommit>(_files.Count);
        foreach (var (encoded, file) in _files)
        {
            await file.Writer.CloseAsync(cancellationToken).ConfigureAwait(false);
            await file.Writer.DisposeAsync().ConfigureAwait(false);
            var name = new CommittedFileName(_partition.Topic, _partition.Partition, file.Start!.Value, file.End, _format.Extension);
            commits.Add(new PendingCommit(file.TempPath,
                $"{_config.TopicsDir}/{_partitioner.GeneratePartitionedPath(_partition.Topic, encoded)}/{name.Format(_config.ZeroPadWidth)}"));
        }

        var directories = _files.Keys.ToList();
        ClearFiles();
        await _log.CommitAsync(commits, cancellationToken).ConfigureAwait(false);
        CommittedOffset = _nextExpected;
        if (_hive is not null)
        {
            await _hive.CommittedAsync(_currentSchema, directories, cancellationToken).ConfigureAwait(false);
        }

        _logger.LogInformation("Committed {Count} files of {Records} records of {Partition} on {Reason}: {Files}",
            commits.Count, _recordCount, _partition, reason, string.Join(", ", commits.Select(c => c.Committed)));
        _recordCount = 0;
    }

    private void ClearFiles()
    {
        _files.Clear();
        _lastEncoded = null;
        _lastFile = null;
    }

    private async Task<OpenFile> OpenAsync(string encoded, CancellationToken cancellationToken)
    {
        var tempPath = $"{_config.TopicsDir}/{TempDirectory}/{_partitioner.GeneratePartitionedPath(_partition.Topic, encoded)}/" +
                       $"{TempPrefix}{Guid.NewGuid():N}_tmp{_format.Extension}";
        var stream = await _storage.CreateAsync(tempPath, cancellationToken).ConfigureAwait(false);
        var file = new OpenFile(tempPath, _format.Open(stream));
        _files[encoded] = file;
        return file;
    }

    private async Task DropAsync(string encoded, OpenFile file, CancellationToken cancellationToken)
    {
        _files.Remove(encoded);
        if (ReferenceEquals(file, _lastFile))
        {
            _lastFile = null;
        }

        _recordCount -= file.Count;
        try
        {
            await file.Writer.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ConnectException)
        {
            _logger.LogDebug(e, "Closing the discarded file {Temp} failed", file.TempPath);
        }

        await _storage.DeleteAsync(file.TempPath, cancellationToken).ConfigureAwait(false);
    }

    // This partition's temporary files carry its topic and partition in their names, so that the temporary files of
    // the topic's other partitions, written by other tasks into the same directories, are left alone.
    private string TempPrefix => $"{_partition.Topic}+{_partition.Partition}+";

    private async Task DeleteDeadTempFilesAsync(CancellationToken cancellationToken)
    {
        var dead = new List<string>();
        await foreach (var path in _storage.ListAsync($"{_config.TopicsDir}/{TempDirectory}/{_partition.Topic}", cancellationToken).ConfigureAwait(false))
        {
            if (path[(path.LastIndexOf('/') + 1)..].StartsWith(TempPrefix, StringComparison.Ordinal))
            {
                dead.Add(path);
            }
        }

        foreach (var path in dead)
        {
            await _storage.DeleteAsync(path, cancellationToken).ConfigureAwait(false);
        }

        if (dead.Count > 0)
        {
            _logger.LogInformation("Deleted {Count} temporary files of {Partition} left from before", dead.Count, _partition);
        }
    }

    // The next multiple of the interval counted from the start of the day in the schedule's zone (Confluent's
    // DateTimeUtils.getNextTimeAdjustedByDay).
    private void ScheduleNextRotation()
    {
        if (_config.ScheduleZone is not { } zone)
        {
            return;
        }

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var dayStart = TimeBasedPartitioner.BucketStart(86_400_000, now, zone);
        var interval = _config.RotateScheduleIntervalMs;
        _nextScheduledRotation = dayStart + ((now - dayStart) / interval + 1) * interval;
    }

    private sealed class OpenFile(string tempPath, ISinkRecordWriter writer)
    {
        public string TempPath { get; } = tempPath;

        public ISinkRecordWriter Writer { get; } = writer;

        public long? Start { get; set; }

        public long End { get; set; }

        public int Count { get; set; }
    }
}

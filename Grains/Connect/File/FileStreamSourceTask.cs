using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Source;

namespace Tributary.Grains.Connect.File;

/// <summary>
/// Kafka's <c>FileStreamSourceTask</c>: tails a file and turns each complete line into a STRING record. The source
/// partition is <c>{"filename": file}</c> and each record's offset <c>{"position": n}</c>, the byte position just after
/// its line, so a restarted task resumes from the stored offset. A file that does not exist yet, or has no new complete
/// line, makes <see cref="PollAsync"/> wait about a second (cancellably) and return null.
/// </summary>
public sealed class FileStreamSourceTask : SourceTask
{
    public const string FilenameField = "filename";
    public const string PositionField = "position";

    private readonly LineBuffer _buffer;
    private readonly TimeSpan _idleWait;

    // Cancelled by StopAsync so that a poll waiting for data returns at once, as Kafka's stop() notifies its wait.
    private readonly CancellationTokenSource _stopping = new();
    private string _filename = "";
    private string _topic = "";
    private int _batchSize;
    private IReadOnlyDictionary<string, object?> _sourcePartition = new Dictionary<string, object?>();
    private FileStream? _stream;
    private long _position;

    // Kafka starts with 1 KiB, but each read here is an asynchronous file read (a thread-pool hop and a syscall): at
    // 1 KiB that was one hop per ten 100-byte lines, most of the task's own time. 64 KiB reads a poll's lines in a few.
    public FileStreamSourceTask()
        : this(initialBufferSize: 64 * 1024, idleWait: TimeSpan.FromSeconds(1))
    {
    }

    /// <summary>For tests: a small buffer shows its growth, a short wait keeps them quick.</summary>
    internal FileStreamSourceTask(int initialBufferSize, TimeSpan idleWait)
    {
        _buffer = new LineBuffer(initialBufferSize);
        _idleWait = idleWait;
    }

    public override string Version => FileStreamConnectors.Version;

    internal int BufferSize => _buffer.Capacity;

    public override Task StartAsync(IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken)
    {
        var config = FileStreamSourceConfig.Parse(properties);
        _filename = config.RequireFile();
        _topic = config.Topic;
        _batchSize = config.BatchSize;
        _sourcePartition = new Dictionary<string, object?>(StringComparer.Ordinal) { [FilenameField] = _filename };
        return Task.CompletedTask;
    }

    public override async Task<IReadOnlyList<SourceRecord>?> PollAsync(CancellationToken cancellationToken)
    {
        if (_stopping.IsCancellationRequested)
        {
            return null;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        try
        {
            var stream = _stream ?? await OpenAsync(linked.Token).ConfigureAwait(false);
            if (stream is null)
            {
                await Task.Delay(_idleWait, linked.Token).ConfigureAwait(false);
                return null;
            }

            return await ReadLinesAsync(stream, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (_stopping.IsCancellationRequested && e is OperationCanceledException or ObjectDisposedException or IOException)
        {
            // Stopping woke the wait or closed the file under the read; the runtime is shutting the task down anyway.
            return null;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_stream is { } stream)
        {
            _stream = null;
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Opens the file at the stored position; null while the file does not exist yet.</summary>
    private async Task<FileStream?> OpenAsync(CancellationToken cancellationToken)
    {
        FileStream stream;
        try
        {
            // Others keep appending to (or even rotate) the file while it is read.
            stream = new FileStream(_filename, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.Asynchronous,
                BufferSize = 0,
            });
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConnectException($"Error while trying to open file {_filename}: {e.Message}", e);
        }

        try
        {
            _position = await StoredPositionAsync(cancellationToken).ConfigureAwait(false);

            // Like Kafka's skip, a position past the end waits there until the file grows that far.
            stream.Seek(_position, SeekOrigin.Begin);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _stream = stream;
        return stream;
    }

    private async Task<long> StoredPositionAsync(CancellationToken cancellationToken)
    {
        var offset = await Context.OffsetStorageReader.OffsetAsync(_sourcePartition, cancellationToken).ConfigureAwait(false);
        if (offset is null || !offset.TryGetValue(PositionField, out var stored) || stored is null)
        {
            return 0;
        }

        if (!SourcePosition.TryRead(stored, out var position))
        {
            throw new ConnectException("Offset position is the incorrect type");
        }

        return position >= 0
            ? position
            : throw new ConnectException($"Offset position {position} of file {_filename} is negative");
    }

    /// <summary>Complete lines up to <c>batch.size</c>; null after waiting when the file had nothing new.</summary>
    private async Task<IReadOnlyList<SourceRecord>?> ReadLinesAsync(FileStream stream, CancellationToken cancellationToken)
    {
        List<SourceRecord>? records = null;
        var readAnything = false;
        while (true)
        {
            // Lines left over from a poll that filled its batch come first, before reading more.
            while (_buffer.TryTakeLine(out var line, out var length))
            {
                _position += length;
                (records ??= []).Add(NewRecord(line));
                if (records.Count >= _batchSize)
                {
                    return records;
                }
            }

            int read;
            try
            {
                read = await stream.ReadAsync(_buffer.FreeSpace(), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (records is not null)
            {
                // These lines have left the buffer: hand them over rather than lose them.
                return records;
            }

            if (read == 0)
            {
                break;
            }

            readAnything = true;
            _buffer.Advance(read);
        }

        if (records is null && !readAnything)
        {
            await Task.Delay(_idleWait, cancellationToken).ConfigureAwait(false);
        }

        return records;
    }

    private SourceRecord NewRecord(string line) => new(
        _sourcePartition,
        new Dictionary<string, object?>(StringComparer.Ordinal) { [PositionField] = _position },
        _topic, kafkaPartition: null, keySchema: null, key: null, Schema.String, line,
        DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
}

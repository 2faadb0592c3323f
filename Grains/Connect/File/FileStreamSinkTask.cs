using System.Text;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Sink;

namespace Tributary.Grains.Connect.File;

/// <summary>
/// Kafka's <c>FileStreamSinkTask</c>: appends each record's value, printed as Java prints it (see <see cref="RecordText"/>: <c>null</c>, maps as
/// <c>{k=v}</c>, structs as <c>Struct{...}</c>), followed by a line separator, to the file (created if missing) or to
/// standard output. Writes are buffered; <see cref="FlushAsync"/> pushes them out before offsets are committed.
/// </summary>
public sealed class FileStreamSinkTask : SinkTask
{
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
    private const int WriterBufferChars = 64 * 1024;

    private string? _filename;
    private StreamWriter? _writer;

    public override string Version => FileStreamConnectors.Version;

    private StreamWriter Writer => _writer ?? throw new InvalidOperationException("The task has not been started.");

    public override Task StartAsync(IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken)
    {
        var config = FileStreamSinkConnector.Definition.Parse(properties);
        _filename = FileStreamFiles.Normalize(config.GetString(FileStreamSinkConnector.FileConfig));
        _writer = _filename is null
            ? new StreamWriter(Console.OpenStandardOutput(), Utf8, bufferSize: -1, leaveOpen: true)
            : OpenFile(_filename);
        return Task.CompletedTask;
    }

    public override async Task PutAsync(IReadOnlyCollection<SinkRecord> records, CancellationToken cancellationToken)
    {
        var writer = Writer;
        foreach (var record in records)
        {
            await writer.WriteAsync(RecordText.Format(record.Value).AsMemory(), cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(Environment.NewLine.AsMemory(), cancellationToken).ConfigureAwait(false);
        }
    }

    public override Task FlushAsync(IReadOnlyDictionary<TopicPartition, long> currentOffsets, CancellationToken cancellationToken) =>
        Writer.FlushAsync(cancellationToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_writer is { } writer)
        {
            _writer = null;
            await writer.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static StreamWriter OpenFile(string filename)
    {
        try
        {
            // The writer's buffer is the only one (the stream's would be a second copy), and a large one: each flush
            // into an asynchronous file stream is a thread-pool hop and a write, which with the default 1 KiB of text
            // came once per 1 KiB line and was the sink's largest cost after decoding.
            var stream = new FileStream(filename, new FileStreamOptions
            {
                Mode = FileMode.Append,
                Access = FileAccess.Write,
                Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.Asynchronous,
                BufferSize = 0,
            });
            return new StreamWriter(stream, Utf8, WriterBufferChars);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConnectException($"Couldn't find or create file '{filename}' for FileStreamSinkTask", e);
        }
    }
}

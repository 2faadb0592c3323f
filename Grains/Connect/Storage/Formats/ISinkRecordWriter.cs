using Tributary.Grains.Connect.Api.Sink;

namespace Tributary.Grains.Connect.Storage.Formats;

/// <summary>
/// Writes records into one file of a format (Confluent's storage <c>RecordWriter</c>), all of one value schema: the
/// partition writer rotates to a new file when the schema changes. <see cref="CloseAsync"/> completes the file (a
/// container's last block, a footer) and flushes it; the stream is the writer's from <c>Open</c> on. Not thread-safe.
/// </summary>
public interface ISinkRecordWriter : IAsyncDisposable
{
    void Write(SinkRecord record);

    Task CloseAsync(CancellationToken cancellationToken);
}

/// <summary>A file format (<c>format.class</c>): the extension of its files and a writer for a new one.</summary>
public interface IRecordWriterProvider
{
    /// <summary>The committed files' extension, with its dot (<c>.avro</c>).</summary>
    string Extension { get; }

    ISinkRecordWriter Open(Stream output);
}

using System.Text;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;

namespace Tributary.Grains.Connect.Storage.Formats;

/// <summary>
/// Raw bytes (Confluent's <c>ByteArrayFormat</c> of the cloud storage sinks): each record's value as it came, which
/// the ByteArrayConverter leaves as bytes, followed by <c>format.bytearray.separator</c> ("\n" by default), in files
/// named with <c>format.bytearray.extension</c> (<c>.bin</c>).
/// </summary>
public sealed class ByteArrayFormat(string extension = ".bin", string separator = "\n") : IRecordWriterProvider
{
    public const string ExtensionConfig = "format.bytearray.extension";
    public const string SeparatorConfig = "format.bytearray.separator";

    private readonly byte[] _separator = Encoding.UTF8.GetBytes(separator);

    public string Extension { get; } = extension;

    public ISinkRecordWriter Open(Stream output) => new Writer(output, _separator);

    private sealed class Writer(Stream output, byte[] separator) : ISinkRecordWriter
    {
        private readonly BufferedStream _buffer = new(output, 1 << 16);

        public void Write(SinkRecord record)
        {
            var bytes = record.Value as byte[] ?? throw new DataException(
                $"The byte array format writes byte values (the ByteArrayConverter's): the record at {record.Topic}-{record.KafkaPartition}@{record.KafkaOffset} has {record.Value?.GetType().Name ?? "none"}");
            _buffer.Write(bytes);
            _buffer.Write(separator);
        }

        public async Task CloseAsync(CancellationToken cancellationToken) => await _buffer.FlushAsync(cancellationToken).ConfigureAwait(false);

        public ValueTask DisposeAsync() => _buffer.DisposeAsync();
    }
}

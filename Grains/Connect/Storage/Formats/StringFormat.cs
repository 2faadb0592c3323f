using System.Globalization;
using System.Text;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;

namespace Tributary.Grains.Connect.Storage.Formats;

/// <summary>
/// Text lines (the HDFS sink's <c>StringFormat</c>, <c>.txt</c>): each record's value as text, one per line: strings
/// as they are, other values as Connect prints them.
/// </summary>
public sealed class StringFormat : IRecordWriterProvider
{
    public string Extension => ".txt";

    public ISinkRecordWriter Open(Stream output) => new Writer(output);

    private sealed class Writer(Stream output) : ISinkRecordWriter
    {
        private readonly StreamWriter _text = new(output, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };

        public void Write(SinkRecord record) => _text.WriteLine(record.Value switch
        {
            null => "null",
            string text => text,
            IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
            var other => ConnectValues.Format(other),
        });

        public async Task CloseAsync(CancellationToken cancellationToken) => await _text.FlushAsync(cancellationToken).ConfigureAwait(false);

        public ValueTask DisposeAsync() => _text.DisposeAsync();
    }
}

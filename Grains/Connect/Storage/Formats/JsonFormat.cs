using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Converters.Json;

namespace Tributary.Grains.Connect.Storage.Formats;

/// <summary>
/// JSON lines (Confluent's <c>JsonFormat</c>): each record's value as the JsonConverter writes it without schemas
/// (Timestamps as epoch milliseconds; Decimals per <c>json.decimal.format</c>, BASE64 by default as there, or NUMERIC),
/// one per line ending in '\n', in files named <c>.json</c>.
/// </summary>
public sealed class JsonFormat(string decimalFormat = "BASE64") : IRecordWriterProvider
{
    public const string DecimalFormatConfig = "json.decimal.format";

    private static readonly byte[] LineSeparator = "\n"u8.ToArray();

    public string Extension => ".json";

    public ISinkRecordWriter Open(Stream output)
    {
        var converter = new JsonConverter();
        converter.Configure(new Dictionary<string, string> { ["schemas.enable"] = "false", ["decimal.format"] = decimalFormat }, isKey: false);
        return new Writer(converter, output);
    }

    private sealed class Writer(JsonConverter converter, Stream output) : ISinkRecordWriter
    {
        private readonly BufferedStream _buffer = new(output, 1 << 16);

        public void Write(SinkRecord record)
        {
            var json = converter.FromConnectData(record.Topic, record.ValueSchema, record.Value) ?? "null"u8.ToArray();
            _buffer.Write(json);
            _buffer.Write(LineSeparator);
        }

        public async Task CloseAsync(CancellationToken cancellationToken) => await _buffer.FlushAsync(cancellationToken).ConfigureAwait(false);

        public async ValueTask DisposeAsync()
        {
            await _buffer.DisposeAsync().ConfigureAwait(false);
            converter.Dispose();
        }
    }
}

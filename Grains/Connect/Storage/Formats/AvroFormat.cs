using Avro.File;
using Avro.Generic;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Avro.Data;

namespace Tributary.Grains.Connect.Storage.Formats;

/// <summary>
/// Avro container files (Confluent's <c>AvroFormat</c>, <c>.avro</c>): the file's schema is the Avro form of the
/// first record's value schema, as the Avro converter makes it (Connect's logical types as Avro's, the
/// <c>connect.*</c> properties), and every record's value is converted the same way, compressed per
/// <c>avro.codec</c>. A file holds one value schema: a record of another is an error here, the partition writer
/// having rotated before it.
/// </summary>
public sealed class AvroFormat(string codec = "null") : IRecordWriterProvider, ISchemaFileReader
{
    private readonly AvroData _data = new(AvroDataConfig.Defaults);
    private readonly string _codec = ValidCodec(codec);

    public string Extension => ".avro";

    public ISinkRecordWriter Open(Stream output) => new Writer(this, output);

    /// <summary>The Connect form of the schema in the container's header (Confluent's <c>AvroFileReader</c>).</summary>
    public Task<Schema?> ReadSchemaAsync(Stream file, CancellationToken cancellationToken)
    {
        using var reader = DataFileReader<object?>.OpenReader(file, leaveOpen: true);
        var json = reader.GetMetaString(DataFileConstants.MetaDataSchema);
        return Task.FromResult<Schema?>(_data.ToConnectSchema(ParsedAvroSchema.FromJson(json), version: null));
    }

    private static string ValidCodec(string codec)
    {
        AvroCodecs.Create(codec);
        return codec;
    }

    // The schema in the file's header is the whole one (logical types, connect.* properties) that readers turn into
    // dates and decimals; the values are encoded through its plain form, whose bytes are the same.
    private static global::Avro.Schema FileSchema(ParsedAvroSchema parsed)
    {
        try
        {
            return global::Avro.Schema.Parse(parsed.Json);
        }
        catch (global::Avro.AvroException)
        {
            return parsed.Encoding; // a logical type Apache.Avro refuses (a decimal's scale beyond its precision)
        }
    }

    /// <summary>Encodes with <paramref name="values"/>' schema, names <paramref name="schema"/> as the file's.</summary>
    private sealed class FileSchemaWriter(global::Avro.Schema schema, DatumWriter<object?> values) : DatumWriter<object?>
    {
        public global::Avro.Schema Schema => schema;

        public void Write(object? datum, global::Avro.IO.Encoder encoder) => values.Write(datum, encoder);
    }

    private sealed class Writer(AvroFormat format, Stream output) : ISinkRecordWriter
    {
        private IFileWriter<object?>? _file;
        private Schema? _schema;
        private global::Avro.Schema? _avroSchema;

        public void Write(SinkRecord record)
        {
            var schema = record.ValueSchema ?? throw new DataException(
                $"Avro files need a value schema: the record at {record.Topic}-{record.KafkaPartition}@{record.KafkaOffset} has none");
            if (_file is null)
            {
                _schema = schema;
                var parsed = format._data.FromConnectSchema(schema);
                _avroSchema = parsed.Encoding;
                _file = DataFileWriter<object?>.OpenWriter(
                    new FileSchemaWriter(FileSchema(parsed), parsed.Writer), output, AvroCodecs.Create(format._codec), leaveOpen: true);
            }
            else if (!schema.Equals(_schema))
            {
                throw new DataException($"The record at {record.Topic}-{record.KafkaPartition}@{record.KafkaOffset} has another schema than its file");
            }

            _file.Append(format._data.FromConnectData(schema, _avroSchema!, record.Value));
        }

        public async Task CloseAsync(CancellationToken cancellationToken)
        {
            _file?.Flush();
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            _file?.Dispose();
            await output.DisposeAsync().ConfigureAwait(false);
        }
    }
}

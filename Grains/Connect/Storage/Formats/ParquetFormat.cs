using System.Collections;
using System.Collections.Concurrent;
using Parquet;
using Parquet.Schema;
using ConnectField = Tributary.Grains.Connect.Api.Data.Field;
using Field = Parquet.Schema.Field;
using SchemaType = Tributary.Grains.Connect.Api.Data.SchemaType;
using Parquet.Serialization;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Avro.Data;
using ConnectSchema = Tributary.Grains.Connect.Api.Data.Schema;

namespace Tributary.Grains.Connect.Storage.Formats;

/// <summary>
/// Parquet files (Confluent's <c>ParquetFormat</c>, <c>.parquet</c>) through Parquet.Net: the value schema becomes the
/// file's columns as parquet-avro maps the Avro converter's schema: integers of 8 to 32 bits as INT32, Decimal as
/// DECIMAL (precision <c>connect.decimal.precision</c>, at most 38), Date as DATE, Time as TIME, Timestamp as a
/// TIMESTAMP in milliseconds adjusted to UTC, structs as groups, arrays as LISTs, maps as MAPs, optional as nullable;
/// compressed per <c>parquet.codec</c>. The records of a file are kept until it is closed, then written as row
/// groups of <see cref="RowGroupRows"/>: a Parquet file is written whole. One value schema per file.
/// </summary>
public sealed class ParquetFormat : IRecordWriterProvider, ISchemaFileReader
{
    public const string CodecConfig = "parquet.codec";
    public const int RowGroupRows = 100_000;
    private const int MaxDecimalPrecision = 38;

    private const int MaxSpareColumnSets = 4;
    private const int MaxSpareSchemas = 16;

    /// <summary>parquet-avro's key of the Avro schema a file was written with, which its readers and Confluent's take.</summary>
    public const string AvroSchemaKey = "parquet.avro.schema";
    private const string WriterModelKey = "writer.model.name";

    private readonly CompressionMethod _compression;
    private readonly AvroData _avro = new(AvroDataConfig.Defaults);

    // The column buffers of closed files, by value schema, for the next files: grown to a file's rows once, not per file
    // (a file's columns of a hundred thousand rows are arrays large enough for the large-object heap).
    private readonly ConcurrentDictionary<ConnectSchema, ConcurrentBag<ParquetColumn[]>> _spareColumns = new(ReferenceEqualityComparer.Instance);

    public ParquetFormat(string codec = "snappy") =>
        _compression = codec.Trim().ToLowerInvariant() switch
        {
            "none" or "uncompressed" => CompressionMethod.None,
            "snappy" => CompressionMethod.Snappy,
            "gzip" => CompressionMethod.Gzip,
            "zstd" => CompressionMethod.Zstd,
            "lz4" => CompressionMethod.Lz4Raw,
            _ => throw new ConfigException(CodecConfig, codec, "String must be one of: none, snappy, gzip, zstd, lz4"),
        };

    public string Extension => ".parquet";

    public ISinkRecordWriter Open(Stream output) => new Writer(this, output);

    /// <summary>
    /// The Connect form of the Avro schema in the file's metadata (Confluent's <c>ParquetFileReader</c> reads it through
    /// parquet-avro); null for a file without one.
    /// </summary>
    public async Task<ConnectSchema?> ReadSchemaAsync(Stream file, CancellationToken cancellationToken)
    {
        await using var reader = await ParquetReader.CreateAsync(file, leaveStreamOpen: true, cancellationToken: cancellationToken).ConfigureAwait(false);
        return reader.CustomMetadata.TryGetValue(AvroSchemaKey, out var json)
            ? _avro.ToConnectSchema(ParsedAvroSchema.FromJson(json), version: null)
            : null;
    }

    // What parquet-avro's writer puts in a file's metadata, as Confluent's Parquet files have it: the value schema in
    // the Avro converter's form (its connect.* properties keep the Connect schema's name, version and logical types).
    // A schema Avro cannot name (a field called order-id) has none: the file is Parquet all the same, where Confluent's
    // writer, which goes through Avro, fails the task.
    private Dictionary<string, string>? Metadata(ConnectSchema schema)
    {
        try
        {
            return new(StringComparer.Ordinal)
            {
                [AvroSchemaKey] = _avro.FromConnectSchema(schema).Json,
                [WriterModelKey] = "avro",
            };
        }
        catch (ConnectException)
        {
            return null;
        }
    }

    private ParquetColumn[] TakeColumns(ConnectSchema schema, ParquetSchema parquet) =>
        _spareColumns.TryGetValue(schema, out var spare) && spare.TryTake(out var columns)
            ? columns
            : [.. parquet.DataFields.Select(ParquetColumn.For)];

    private void ReturnColumns(ConnectSchema schema, ParquetColumn[] columns)
    {
        if (_spareColumns.Count >= MaxSpareSchemas && !_spareColumns.ContainsKey(schema))
        {
            _spareColumns.Clear();
        }

        var spare = _spareColumns.GetOrAdd(schema, _ => []);
        if (spare.Count < MaxSpareColumnSets)
        {
            spare.Add(columns);
        }
    }

    /// <summary>The Parquet field of a Connect field.</summary>
    public static Field ToField(string name, ConnectSchema schema)
    {
        var nullable = schema.IsOptional;
        switch (schema.Name)
        {
            case LogicalTypes.DecimalName:
                var scale = int.Parse(schema.Parameters![LogicalTypes.ScaleParameter], System.Globalization.CultureInfo.InvariantCulture);
                var precision = schema.Parameters.TryGetValue("connect.decimal.precision", out var p)
                    ? Math.Min(int.Parse(p, System.Globalization.CultureInfo.InvariantCulture), MaxDecimalPrecision)
                    : MaxDecimalPrecision;
                return new DecimalDataField(name, precision, scale, forceByteArrayEncoding: false, isNullable: nullable);
            case LogicalTypes.DateName:
                return new DateTimeDataField(name, DateTimeFormat.Date, isAdjustedToUTC: true, unit: null, isNullable: nullable);
            case LogicalTypes.TimeName:
                return new DataField(name, typeof(TimeOnly), isNullable: nullable);
            case LogicalTypes.TimestampName:
                return new DateTimeDataField(name, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: nullable);
        }

        return schema.Type switch
        {
            SchemaType.Int8 or SchemaType.Int16 or SchemaType.Int32 => new DataField(name, typeof(int), isNullable: nullable),
            SchemaType.Int64 => new DataField(name, typeof(long), isNullable: nullable),
            SchemaType.Float32 => new DataField(name, typeof(float), isNullable: nullable),
            SchemaType.Float64 => new DataField(name, typeof(double), isNullable: nullable),
            SchemaType.Boolean => new DataField(name, typeof(bool), isNullable: nullable),
            SchemaType.String => new DataField(name, typeof(string), isNullable: nullable),
            SchemaType.Bytes => new DataField(name, typeof(byte[]), isNullable: nullable),
            SchemaType.Struct => new StructField(name, [.. schema.Fields.Select(f => ToField(f.Name, f.Schema))]),
            SchemaType.Array => new ListField(name, ToField("element", schema.ValueSchema!)),
            SchemaType.Map => new MapField(name, ToField("key", schema.KeySchema!), ToField("value", schema.ValueSchema!)),
            _ => throw new DataException($"Parquet files cannot hold the Connect type {schema.Type}"),
        };
    }

    // A Connect value as Parquet.Net's untyped rows take it.
    private static object? ToValue(ConnectSchema schema, object? value)
    {
        if (value is null)
        {
            return null;
        }

        switch (schema.Name)
        {
            case LogicalTypes.DecimalName:
                return (decimal)value;
            case LogicalTypes.DateName or LogicalTypes.TimestampName:
                // The converters give UTC already: that box is kept, not unboxed and boxed again.
                return value is DateTime { Kind: DateTimeKind.Utc } ? value : DateTime.SpecifyKind((DateTime)value, DateTimeKind.Utc);
            case LogicalTypes.TimeName:
                return TimeOnly.FromDateTime((DateTime)value);
        }

        return schema.Type switch
        {
            SchemaType.Int8 => (int)(sbyte)value,
            SchemaType.Int16 => (int)(short)value,
            SchemaType.Struct => Row((Struct)value),
            SchemaType.Array => List(schema.ValueSchema!, (IEnumerable)value),
            SchemaType.Map => Map(schema, (IDictionary)value),
            _ => value,
        };
    }

    // Parquet.Net takes a list as an array of its element's own type (int?[], rows for structs), strings as character memory.
    // A method of its own: a lambda capturing ToValue's parameters would cost a closure for every value it converts.
    private static Array List(ConnectSchema elementSchema, IEnumerable values)
    {
        var items = new List<object?>();
        foreach (var item in values)
        {
            items.Add(ToValue(elementSchema, item));
        }

        var array = Array.CreateInstance(NestedType(elementSchema), items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            array.SetValue(NestedValue(items[i]), i);
        }

        return array;
    }

    // A map as a dictionary of its key's and value's own types, as for lists.
    private static IDictionary Map(ConnectSchema schema, IDictionary map)
    {
        var typed = (IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(NestedType(schema.KeySchema!), NestedType(schema.ValueSchema!)))!;
        foreach (DictionaryEntry entry in map)
        {
            typed.Add(NestedValue(ToValue(schema.KeySchema!, entry.Key))!, NestedValue(ToValue(schema.ValueSchema!, entry.Value)));
        }

        return typed;
    }

    private static Type NestedType(ConnectSchema schema) =>
        schema.Type == SchemaType.String && schema.Name is null
            ? (schema.IsOptional ? typeof(ReadOnlyMemory<char>?) : typeof(ReadOnlyMemory<char>))
            : ClrType(schema);

    private static object? NestedValue(object? value) => value is string s ? s.AsMemory() : value;

    private static Type ClrType(ConnectSchema schema)
    {
        var type = schema.Name switch
        {
            LogicalTypes.DecimalName => typeof(decimal),
            LogicalTypes.DateName or LogicalTypes.TimestampName => typeof(DateTime),
            LogicalTypes.TimeName => typeof(TimeOnly),
            _ => schema.Type switch
            {
                SchemaType.Int8 or SchemaType.Int16 or SchemaType.Int32 => typeof(int),
                SchemaType.Int64 => typeof(long),
                SchemaType.Float32 => typeof(float),
                SchemaType.Float64 => typeof(double),
                SchemaType.Boolean => typeof(bool),
                SchemaType.String => typeof(string),
                SchemaType.Bytes => typeof(byte[]),
                SchemaType.Struct => typeof(IDictionary<string, object?>),
                _ => typeof(object),
            },
        };
        return schema.IsOptional && type.IsValueType ? typeof(Nullable<>).MakeGenericType(type) : type;
    }

    private static Dictionary<string, object?> Row(Struct value)
    {
        var row = new Dictionary<string, object?>(value.Schema.Fields.Count, StringComparer.Ordinal);
        foreach (var field in value.Schema.Fields)
        {
            row[field.Name] = ToValue(field.Schema, value.Get(field));
        }

        return row;
    }

    private static bool IsFlat(ConnectSchema schema) => schema.Fields.All(f => f.Schema.Type is not (SchemaType.Struct or SchemaType.Array or SchemaType.Map));

    /// <summary>
    /// Keeps a file's records until it is closed: a flat schema's as typed columns (<see cref="ParquetColumn"/>), any
    /// other as Parquet.Net's untyped rows, which its serializer shreds into nested columns.
    /// </summary>
    private sealed class Writer(ParquetFormat format, Stream output) : ISinkRecordWriter
    {
        private readonly List<IDictionary<string, object?>> _rows = [];
        private object?[] _values = [];
        private ConnectSchema? _schema;
        private ConnectField[] _fields = []; // the schema's fields as an array: its list's indexer is an interface call
        private ParquetSchema? _parquetSchema;
        private ParquetColumn[]? _columns;
        private int _count;

        public void Write(SinkRecord record)
        {
            if (record.ValueSchema is not { Type: SchemaType.Struct } schema || record.Value is not Struct value)
            {
                throw new DataException(
                    $"Parquet files need struct values with a schema: the record at {record.Topic}-{record.KafkaPartition}@{record.KafkaOffset} has none");
            }

            if (_schema is null)
            {
                _parquetSchema = new ParquetSchema(schema.Fields.Select(f => ToField(f.Name, f.Schema)));
                _columns = IsFlat(schema) ? format.TakeColumns(schema, _parquetSchema) : null;
                _fields = [.. schema.Fields];
                _schema = schema;
            }
            else if (!ReferenceEquals(schema, _schema) && !schema.Equals(_schema))
            {
                throw new DataException($"The record at {record.Topic}-{record.KafkaPartition}@{record.KafkaOffset} has another schema than its file");
            }

            if (_columns is { } columns)
            {
                var fields = _fields;
                if (_values.Length != fields.Length)
                {
                    _values = new object?[fields.Length];
                }

                // A span's stores skip the check an object array's need that the array is not of a narrower type.
                var values = _values.AsSpan(0, fields.Length);
                for (var i = 0; i < values.Length; i++)
                {
                    var field = fields[i];
                    values[i] = ToValue(field.Schema, value.Get(field)); // all converted before any is kept
                }

                for (var i = 0; i < values.Length; i++)
                {
                    columns[i].Add(values[i]);
                }

                values.Clear(); // the record's values are the columns' now, not held here until the next one

                _count++;
            }
            else
            {
                _rows.Add(Row(value));
            }
        }

        public async Task CloseAsync(CancellationToken cancellationToken)
        {
            if (_parquetSchema is null)
            {
                return;
            }

            var options = new ParquetOptions { CompressionMethod = format._compression, RowGroupSize = RowGroupRows };
            if (_columns is { } columns)
            {
                await using (var writer = await ParquetWriter.CreateAsync(_parquetSchema, output, options, append: false, cancellationToken).ConfigureAwait(false))
                {
                    if (format.Metadata(_schema!) is { } metadata)
                    {
                        writer.CustomMetadata = metadata;
                    }

                    var fields = _parquetSchema.DataFields;
                    for (var first = 0; first < _count; first += RowGroupRows)
                    {
                        var rows = Math.Min(RowGroupRows, _count - first);
                        using var group = writer.CreateRowGroup();
                        for (var i = 0; i < columns.Length; i++)
                        {
                            await columns[i].WriteAsync(group, fields[i], first, rows, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }

                foreach (var column in columns)
                {
                    column.Clear();
                }

                _count = 0;
                _columns = null;
                format.ReturnColumns(_schema!, columns);
            }
            else
            {
                await ParquetSerializer.SerializeUntypedAsync(_rows, _parquetSchema, output, options, format.Metadata(_schema!), cancellationToken).ConfigureAwait(false);
                _rows.Clear();
            }

            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        public ValueTask DisposeAsync() => output.DisposeAsync();
    }
}

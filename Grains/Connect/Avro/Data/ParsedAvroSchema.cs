using System.Collections.Concurrent;
using global::Avro.Generic;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Avro.Schemas;
using ApacheSchema = global::Avro.Schema;

namespace Tributary.Grains.Connect.Avro.Data;

/// <summary>
/// One Avro schema in the three forms the converter needs: Tributary's model (every property, for converting to and
/// from Connect), the JSON the registry knows it by, and Apache.Avro's parse of it without logical types or metadata,
/// which encodes and decodes the values.
/// </summary>
internal sealed class ParsedAvroSchema
{
    private ParsedAvroSchema(AvroType model, string json, ApacheSchema encoding)
    {
        Model = model;
        Json = json;
        Encoding = encoding;
    }

    public AvroType Model { get; }

    public string Json { get; }

    public ApacheSchema Encoding { get; }

    private readonly ConcurrentDictionary<ParsedAvroSchema, GenericDatumReader<object?>> _readers = new(ReferenceEqualityComparer.Instance);
    private GenericDatumWriter<object?>? _writer;

    /// <summary>Apache.Avro's writer for this schema, made once.</summary>
    public GenericDatumWriter<object?> Writer => _writer ??= new GenericDatumWriter<object?>(Encoding);

    /// <summary>Apache.Avro's reader of data written with this schema into <paramref name="reader"/>'s, made once per pair.</summary>
    public GenericDatumReader<object?> ReaderFor(ParsedAvroSchema reader) =>
        _readers.GetOrAdd(reader, r => new GenericDatumReader<object?>(Encoding, r.Encoding));

    /// <summary>A schema made here from a Connect schema: its JSON is written in Java's form.</summary>
    public static ParsedAvroSchema FromModel(AvroType model) => new(model, AvroSchemaWriter.Write(model), ParseEncoding(model));

    /// <summary>A schema the registry holds: its JSON stays as the registry has it.</summary>
    public static ParsedAvroSchema FromJson(string json)
    {
        var model = AvroSchemaParser.Parse(json);
        return new ParsedAvroSchema(model, json, ParseEncoding(model));
    }

    private static ApacheSchema ParseEncoding(AvroType model)
    {
        var json = AvroSchemaWriter.ForEncoding(model);
        try
        {
            return ApacheSchema.Parse(json);
        }
        catch (global::Avro.AvroException e)
        {
            throw new DataException("Invalid Avro schema " + json + ": " + e.Message, e);
        }
    }
}

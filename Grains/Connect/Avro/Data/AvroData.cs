using System.Collections.Concurrent;
using Tributary.Grains.Connect.Api.Data;
using ApacheSchema = global::Avro.Schema;
using Tributary.Grains.Connect.Api.Caching;

namespace Tributary.Grains.Connect.Avro.Data;

/// <summary>
/// Confluent's <c>AvroData</c>: converts Connect schemas and values to Avro and back, caching the converted schemas
/// both ways (<c>schemas.cache.config</c> of each), so that a converter pays for a schema once.
/// </summary>
internal sealed class AvroData(AvroDataConfig config)
{
    private readonly LruCache<Schema, ParsedAvroSchema> _fromConnectCache = new(Math.Max(config.SchemasCacheSize, 1));
    private readonly LruCache<(string Json, int? Version), Schema> _toConnectCache = new(Math.Max(config.SchemasCacheSize, 1));
    private readonly ConnectToAvroValue _toAvro = new(config);
    private readonly AvroToConnectValue _toConnect = new(config);
    private readonly ConcurrentDictionary<Schema, (ApacheSchema Avro, Encoding.DirectAvroDecoder? Made)> _decoders = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<Schema, (ApacheSchema Avro, Encoding.DirectAvroEncoder? Made)> _encoders = new(ReferenceEqualityComparer.Instance);

    public AvroDataConfig Config { get; } = config;

    public int CachedFromConnect => _fromConnectCache.Count;

    public int CachedToConnect => _toConnectCache.Count;

    public ParsedAvroSchema FromConnectSchema(Schema schema) =>
        _fromConnectCache.GetOrAdd(schema, s => ParsedAvroSchema.FromModel(new ConnectToAvroSchema(Config).Convert(s)));

    public object? FromConnectData(Schema schema, ApacheSchema encoding, object? value) => _toAvro.Convert(schema, encoding, value);

    /// <summary>The Connect schema of a registry schema; <paramref name="version"/> is the registry's version of it.</summary>
    public Schema ToConnectSchema(ParsedAvroSchema schema, int? version) =>
        _toConnectCache.GetOrAdd((schema.Json, version), _ => new AvroToConnectSchema(Config).Convert(schema.Model, version));

    public object? ToConnectData(Schema schema, object? value) => _toConnect.Convert(schema, value);

    /// <summary>
    /// The decoder of records written with <paramref name="avro"/> straight into <paramref name="schema"/>, the Connect
    /// schema read from that same Avro schema; null where the schema has no direct form. Made once per schema.
    /// </summary>
    public Encoding.DirectAvroDecoder? DirectDecoder(Schema schema, ParsedAvroSchema avro) =>
        Cached(_decoders, schema, avro, () => Encoding.DirectAvroDecoder.TryCreate(schema, avro.Encoding, Config));

    /// <summary>The encoder of values of <paramref name="schema"/> straight into <paramref name="avro"/>, its Avro schema; null where it has no direct form.</summary>
    public Encoding.DirectAvroEncoder? DirectEncoder(Schema schema, ParsedAvroSchema avro) =>
        Cached(_encoders, schema, avro, () => Encoding.DirectAvroEncoder.TryCreate(schema, avro.Encoding, Config));

    private T? Cached<T>(ConcurrentDictionary<Schema, (ApacheSchema Avro, T? Made)> cache, Schema schema, ParsedAvroSchema avro, Func<T?> make)
        where T : class
    {
        if (cache.TryGetValue(schema, out var known) && ReferenceEquals(known.Avro, avro.Encoding))
        {
            return known.Made;
        }

        if (cache.Count >= Math.Max(Config.SchemasCacheSize, 1))
        {
            cache.Clear();
        }

        var made = make();
        cache[schema] = (avro.Encoding, made);
        return made;
    }
}

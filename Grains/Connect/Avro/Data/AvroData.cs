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
}

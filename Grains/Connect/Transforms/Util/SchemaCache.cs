using Tributary.Grains.Connect.Api.Caching;
using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Transforms.Util;

/// <summary>
/// A small thread-safe least-recently-used map from an input schema to the schema a transform derived from it (Kafka's
/// <c>SynchronizedCache(LRUCache(16))</c>). Deriving a schema is cheap but allocates; records of a topic share a handful
/// of schemas, so a few entries spare that work on almost every record and keep derived schemas reference-equal.
/// </summary>
public sealed class SchemaCache(int capacity = 16)
{
    private readonly LruCache<Schema, Schema> _cache = new(capacity);

    public int Count => _cache.Count;

    public Schema? Get(Schema key) => _cache.TryGet(key, out var value) ? value : null;

    public void Put(Schema key, Schema value) => _cache.Put(key, value);

    /// <summary>The cached schema for <paramref name="key"/>, derived with <paramref name="derive"/> and cached when missing.</summary>
    public Schema GetOrAdd(Schema key, Func<Schema, Schema> derive) => _cache.GetOrAdd(key, derive);
}

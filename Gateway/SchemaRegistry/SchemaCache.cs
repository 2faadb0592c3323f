using System.Collections.Concurrent;
using System.Text.Json;
using Tributary.Gateway.SchemaRegistry.Json;
using Tributary.Grains.Interfaces.Schemas;

namespace Tributary.Gateway.SchemaRegistry;

/// <summary>
/// Schemas by id, kept by the gateway once fetched, with their GET /schemas/ids/{id} body already serialized: an id's
/// definition never changes (ids are never reused), so the cache cannot go stale, and deserializers' lookups by id
/// stay off the grains.
/// </summary>
public sealed class SchemaCache(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<int, CachedSchema> _byId = new();

    public async ValueTask<CachedSchema?> GetAsync(int id)
    {
        if (_byId.TryGetValue(id, out var cached))
        {
            return cached;
        }

        var stored = await grains.GetGrain<ISchemaByIdGrain>(id).GetAsync();
        if (stored is null)
        {
            return null;
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(RegistryHttp.SchemaBodyOf(stored.Definition), RegistryJson.Options);
        return _byId.GetOrAdd(id, new CachedSchema(stored.Definition, stored.Guid, body));
    }
}

/// <summary>A schema and its response body.</summary>
public sealed record CachedSchema(SchemaDefinition Definition, string Guid, byte[] Body);

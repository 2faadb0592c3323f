using System.Collections.Concurrent;
using System.Text.Json;
using Tributary.Gateway.SchemaRegistry.Json;
using Tributary.Grains.Interfaces.Schemas;

namespace Tributary.Gateway.SchemaRegistry;

/// <summary>
/// Schemas by id, kept by the gateway once fetched, with their GET /schemas/ids/{id} body already serialized: an id's
/// definition never changes (ids are never reused), so the cache cannot go stale, and deserializers' lookups by id
/// stay off the grains. Ids are numbered per schema context, so the context is part of the key.
/// </summary>
public sealed class SchemaCache(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<(string Context, int Id), CachedSchema> _byId = new();

    public async ValueTask<CachedSchema?> GetAsync(int id, string context = QualifiedSubject.DefaultContext)
    {
        if (_byId.TryGetValue((context, id), out var cached))
        {
            return cached;
        }

        var stored = await grains.SchemaById(id, context).GetAsync();
        if (stored is null)
        {
            return null;
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(RegistryHttp.SchemaBodyOf(stored.Definition), RegistryJson.Options);
        return _byId.GetOrAdd((context, id), new CachedSchema(stored.Definition, stored.Guid, body));
    }
}

/// <summary>A schema and its response body.</summary>
public sealed record CachedSchema(SchemaDefinition Definition, string Guid, byte[] Body);

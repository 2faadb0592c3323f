using Confluent.SchemaRegistry;
using Tributary.Grains.Connect.Avro.Data;
using Tributary.Grains.Connect.Api.Caching;

namespace Tributary.Grains.Connect.Avro.Registry;

/// <summary>
/// The converter's view of the Schema Registry: register, look up, fetch by id, the latest version and a schema's
/// version under a subject, each answer cached (ids and schemas never change; the latest for
/// <c>latest.cache.ttl.sec</c>, forever by default as in Confluent's serializers), so that only a new schema waits on
/// the registry.
/// </summary>
/// <remarks>
/// Kafka's <c>Converter</c> is synchronous, so the registry client's asynchronous calls are waited for here, and only
/// here. That is safe: the Connect runtime calls converters on thread-pool threads, never inside a grain's scheduler,
/// and the Confluent client continues without a captured context; the caches keep the waits to once per schema.
/// </remarks>
internal sealed class RegistrySchemas(ISchemaRegistryClient client, bool normalize, long latestTtlSeconds, int capacity, TimeProvider time)
{
    private readonly LruCache<(string Subject, string Json), int> _ids = new(Math.Max(capacity, 1));
    private readonly LruCache<int, ParsedAvroSchema> _byId = new(Math.Max(capacity, 1));
    private readonly LruCache<(string Subject, int Id), int> _versions = new(Math.Max(capacity, 1));
    private readonly LruCache<string, (RegisteredSchema Schema, long At)> _latest = new(Math.Max(capacity, 1));

    public ISchemaRegistryClient Client { get; } = client;

    /// <summary>Registers the schema under the subject (or finds it registered already) and returns its id.</summary>
    public int Register(string subject, string json) =>
        _ids.GetOrAdd((subject, json), key => Wait(Client.RegisterSchemaAsync(key.Subject, Avro(key.Json), normalize)));

    /// <summary>The id of a schema that must be registered under the subject already (auto.register.schemas=false).</summary>
    public int Lookup(string subject, string json) =>
        _ids.GetOrAdd((subject, json), key => Wait(Client.GetSchemaIdAsync(key.Subject, Avro(key.Json), normalize)));

    /// <summary>The schema of an id, asking with the subject when it is known, as Confluent's deserializer does.</summary>
    public ParsedAvroSchema ById(int id, string? subject) =>
        _byId.GetOrAdd(id, key => ParsedAvroSchema.FromJson(Wait(Client.GetSchemaBySubjectAndIdAsync(subject, key)).SchemaString));

    /// <summary>The version the schema of <paramref name="id"/> has under the subject.</summary>
    public int Version(string subject, int id, ParsedAvroSchema schema) =>
        _versions.GetOrAdd((subject, id), key => Wait(Client.LookupSchemaAsync(key.Subject, Avro(schema.Json), true, normalize)).Version);

    /// <summary>The subject's latest schema (use.latest.version).</summary>
    public (int Id, ParsedAvroSchema Schema) Latest(string subject)
    {
        var now = time.GetTimestamp();
        if (!_latest.TryGet(subject, out var cached) ||
            (latestTtlSeconds >= 0 && time.GetElapsedTime(cached.At, now) > TimeSpan.FromSeconds(latestTtlSeconds)))
        {
            cached = (Wait(Client.GetLatestSchemaAsync(subject)), now);
            _latest.Put(subject, cached);
        }

        var latest = cached.Schema;
        return (latest.Id, _byId.GetOrAdd(latest.Id, _ => ParsedAvroSchema.FromJson(latest.SchemaString)));
    }

    private static Schema Avro(string json) => new(json, SchemaType.Avro);

    /// <summary>Waits for a registry call; see the class remarks for why blocking is right here.</summary>
    private static T Wait<T>(Task<T> call) => call.GetAwaiter().GetResult();
}

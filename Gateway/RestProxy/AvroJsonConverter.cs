using System.Buffers.Binary;
using System.Collections.Concurrent;
using Avro;
using Avro.Generic;
using Avro.IO;
using Tributary.Grains.KafkaFormats.SchemaRegistry;
using Tributary.Gateway.SchemaRegistry;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.KafkaFormats.Avro;

namespace Tributary.Gateway.RestProxy;

/// <summary>
/// Avro values for the REST Proxy: schemas registered (or found by id) in this platform's registry, values turned from
/// Avro's JSON encoding into Confluent's wire format (magic 0, the schema id big-endian, the Avro binary datum) and
/// back. Parsed schemas are kept by id: an id's schema never changes.
/// </summary>
internal sealed class AvroJsonConverter(IGrainFactory grains, SchemaCache schemas)
{
    private readonly ConcurrentDictionary<int, Schema> _parsed = new();

    /// <summary>The schema a request names, registering its text under <paramref name="subject"/>; or the registry's error.</summary>
    public async Task<(int Id, Schema? Schema, int ErrorCode, string? Message)> ResolveAsync(string subject, string? schemaText, int? schemaId)
    {
        if (schemaId is { } id)
        {
            if (_parsed.TryGetValue(id, out var known))
            {
                return (id, known, 0, null);
            }

            var stored = await schemas.GetAsync(id);
            return stored is null
                ? (id, null, RestErrors.SchemaNotFound, $"Schema {id} not found")
                : (id, _parsed.GetOrAdd(id, AvroSchemas.Parse(stored.Definition.Schema)), 0, null);
        }

        var registered = await grains.GetGrain<ISchemaSubjectGrain>(subject)
            .RegisterAsync(new SchemaSubmission(new SchemaDefinition("AVRO", schemaText!, []), Normalize: false));
        if (registered.ErrorCode != RegistryErrors.None)
        {
            return (0, null, registered.ErrorCode == RegistryErrors.InvalidSchema ? RestErrors.InvalidSchema : registered.ErrorCode, registered.Message);
        }

        return (registered.Value!.Id, _parsed.GetOrAdd(registered.Value!.Id, _ => AvroSchemas.Parse(schemaText!)), 0, null);
    }

    /// <summary>The schema of a subject's version ("latest" or a number), or the registry's error.</summary>
    public async Task<(int Id, Schema? Schema, int ErrorCode, string? Message)> ResolveVersionAsync(string subject, string version)
    {
        var found = await grains.GetGrain<ISchemaSubjectGrain>(subject).GetVersionAsync(version, includeDeleted: false);
        return found.Value is { } stored
            ? await ResolveAsync(subject, null, stored.Id)
            : (0, null, found.ErrorCode, found.Message);
    }

    /// <summary>A value in Avro's JSON encoding as Confluent's wire format; <see cref="AvroException"/> when it does not match.</summary>
    public static byte[] Encode(int id, Schema schema, string json)
    {
        var datum = new GenericDatumReader<object>(schema, schema).Read(null!, new JsonDecoder(schema, json));
        using var stream = new MemoryStream();
        Span<byte> header = stackalloc byte[5];
        header[0] = 0;
        BinaryPrimitives.WriteInt32BigEndian(header[1..], id);
        stream.Write(header);
        new GenericDatumWriter<object>(schema).Write(datum, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    /// <summary>
    /// A value in Confluent's wire format, as Avro's JSON encoding; null when it is not in that format. Its arrays and
    /// maps take their items from <paramref name="items"/> (one per poll), or from a budget of its own.
    /// </summary>
    public async Task<string?> DecodeAsync(byte[] bytes, AvroItemBudget? items = null)
    {
        if (bytes.Length < 5 || bytes[0] != 0)
        {
            return null;
        }

        var (_, schema, error, _) = await ResolveAsync("", null, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1)));
        if (error != 0)
        {
            return null;
        }

        using var input = new MemoryStream(bytes, 5, bytes.Length - 5, writable: false);
        items?.AddInput(input.Length);
        var datum = new GenericDatumReader<object>(schema, schema).Read(null!, new BoundedAvroDecoder(input, items));
        using var output = new MemoryStream();
        var encoder = new JsonEncoder(schema!, output);
        new GenericDatumWriter<object>(schema).Write(datum, encoder);
        encoder.Flush();
        return System.Text.Encoding.UTF8.GetString(output.ToArray());
    }
}

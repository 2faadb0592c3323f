using System.Buffers.Binary;
using System.Text.Json;
using Orleans.Concurrency;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.KafkaFormats.SchemaRegistry;
using Tributary.Grains.SchemaRegistry;
using Tributary.Grains.SchemaRegistry.Rules;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>
/// JSON values to and from Confluent's wire format (magic byte 0, the schema id big-endian, the format's bytes) for
/// JSON Schema and Protobuf schemas, and the write rules of a schema of any format run on records in that format
/// (<see cref="CelConditions"/>). Parsed schemas are kept by id (an id's schema never changes), a bounded number.
/// </summary>
[StatelessWorker]
public sealed class SchemaCodecGrain : Grain, ISchemaCodecGrain
{
    /// <summary>Parsed schemas kept per activation; past this many, the cache starts again.</summary>
    private const int MaxCachedSchemas = 1_000;

    /// <summary>Confluent's REST Proxy error for a value that does not convert (its 42203).</summary>
    private const int JsonConversion = 42203;

    private readonly Dictionary<int, KnownSchema> _schemas = [];

    private readonly CelConditions _conditions = new();

    /// <summary>How long a record's rules may run; past it, the record fails rather than hold the worker longer.</summary>
    private static readonly TimeSpan RuleBudget = TimeSpan.FromSeconds(1);

    public Task<string?> CheckWriteRulesAsync(int schemaId, IReadOnlyList<byte[]> values) => CheckRulesAsync(schemaId, values, RuleMode.Write);

    public async Task<RuleCheckFailure?> CheckReadRulesAsync(IReadOnlyList<byte[]> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is { Length: >= 5 } bytes && bytes[0] == 0
                && await CheckRulesAsync(BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1)), [bytes], RuleMode.Read) is { } failure)
            {
                return new RuleCheckFailure(i, failure);
            }
        }

        return null;
    }

    private async Task<string?> CheckRulesAsync(int schemaId, IReadOnlyList<byte[]> values, RuleMode mode)
    {
        var (known, error) = await KnownAsync(schemaId);
        if (known is null)
        {
            return error;
        }

        foreach (var bytes in values)
        {
            object? message;
            try
            {
                message = CelValues.FromPayload(known.Schema, known.Codec, bytes.AsMemory(5));
            }
            catch (Exception e) when (e is FormatException or JsonException or OverflowException or ArgumentException or InvalidOperationException or global::Avro.AvroException or IOException)
            {
                return $"Error deserializing {known.Schema.Type} message for id {schemaId}: {e.Message}";
            }

            if (_conditions.Check(known.Rules, known.EnableAt, message, known.Tags, RuleBudget, mode, known.Types) is { } failure)
            {
                return failure.Message;
            }
        }

        return null;
    }

    public async Task<RegistryResult<IReadOnlyList<byte[]?>>> EncodeAsync(int schemaId, IReadOnlyList<string?> values)
    {
        var (schema, codec, error) = await SchemaAsync(schemaId);
        if (schema is null)
        {
            return RegistryResult<IReadOnlyList<byte[]?>>.Fail(RegistryErrors.SchemaNotFound, error!);
        }

        var encoded = new List<byte[]?>(values.Count);
        foreach (var value in values)
        {
            if (value is null)
            {
                encoded.Add(null);
                continue;
            }

            try
            {
                var payload = codec!.Encode(schema, value);
                var bytes = new byte[5 + payload.Length];
                BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(1), schemaId);
                payload.CopyTo(bytes, 5);
                encoded.Add(bytes);
            }
            catch (Exception e) when (e is FormatException or JsonException or OverflowException or InvalidOperationException or ArgumentException
                or System.Text.RegularExpressions.RegexMatchTimeoutException)
            {
                return RegistryResult<IReadOnlyList<byte[]?>>.Fail(JsonConversion, $"Conversion of JSON to {schema.Type} failed: {e.Message}");
            }
        }

        return RegistryResult<IReadOnlyList<byte[]?>>.Ok(encoded);
    }

    public async Task<IReadOnlyList<DecodedValue>> DecodeAsync(IReadOnlyList<byte[]?> values)
    {
        var decoded = new List<DecodedValue>(values.Count);
        foreach (var bytes in values)
        {
            if (bytes is null)
            {
                decoded.Add(new DecodedValue(null, null));
                continue;
            }

            if (bytes.Length < 5 || bytes[0] != 0)
            {
                decoded.Add(new DecodedValue(null, "Unknown magic byte!"));
                continue;
            }

            var id = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1));
            var (schema, codec, error) = await SchemaAsync(id);
            try
            {
                decoded.Add(schema is null ? new DecodedValue(null, error) : new DecodedValue(codec!.Decode(schema, bytes.AsMemory(5)), null));
            }
            catch (Exception e) when (e is FormatException or JsonException or OverflowException or ArgumentException or InvalidOperationException)
            {
                decoded.Add(new DecodedValue(null, $"Error deserializing {schema!.Type} message for id {id}: {e.Message}"));
            }
        }

        return decoded;
    }

    /// <summary>A schema its values are converted by: only JSON Schema and Protobuf have a codec here.</summary>
    private async Task<(ParsedSchema? Schema, ISchemaValueCodec? Codec, string? Error)> SchemaAsync(int id)
    {
        var (known, error) = await KnownAsync(id);
        return known is null ? (null, null, error)
            : known.Codec is null ? (null, null, $"Schema {id} is of type {known.Schema.Type}, which is not converted here")
            : (known.Schema, known.Codec, null);
    }

    private async Task<(KnownSchema? Schema, string? Error)> KnownAsync(int id)
    {
        if (_schemas.TryGetValue(id, out var known))
        {
            return (known, null);
        }

        if (await GrainFactory.SchemaById(id, QualifiedSubject.DefaultContext).GetAsync() is not { } stored)
        {
            return (null, $"Schema {id} not found");
        }

        var definition = stored.Definition;
        if (!SchemaFormats.Default.TryGet(definition.SchemaType, out var format))
        {
            return (null, $"Schema {id} is of type {definition.SchemaType}, which is not served");
        }

        try
        {
            var parsed = format.Parse(definition.Schema, await SchemaReferences.ResolveAsync(GrainFactory, definition.References, QualifiedSubject.DefaultContext), normalize: false);
            if (_schemas.Count >= MaxCachedSchemas)
            {
                _schemas.Clear();
            }

            // A field's inline tags and declared type matter to field rules alone: other schemas skip the walk.
            var rules = Rules(definition.RuleSet);
            var fieldRules = rules.Any(r => r.Type == CelConditions.CelField);
            known = new KnownSchema(parsed, format as ISchemaValueCodec, rules, definition.RuleSet?.EnableAt,
                fieldRules ? InlineTags.Merge(definition.Metadata?.Tags, InlineTags.Of(parsed)) : definition.Metadata?.Tags,
                fieldRules ? FieldTypes.Of(parsed) : new Dictionary<string, string>());
            _schemas[id] = known;
            return (known, null);
        }
        catch (InvalidSchemaException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>
    /// The domain rules, then the encoding rules (which run on bytes: after the domain rules on write, before them on
    /// read, where the rule engine takes the list in reverse).
    /// </summary>
    private static List<ConditionRule> Rules(SchemaRuleSet? ruleSet) =>
        [.. (ruleSet?.DomainRules ?? []).Select(r => Rule(r, encoding: false)), .. (ruleSet?.EncodingRules ?? []).Select(r => Rule(r, encoding: true))];

    private static ConditionRule Rule(SchemaRule rule, bool encoding) => new(
        rule.Name, rule.Doc, rule.Kind?.ToUpperInvariant(), rule.Mode?.ToUpperInvariant(), rule.Type?.ToUpperInvariant(), rule.Tags ?? [],
        rule.Params ?? new Dictionary<string, string>(), rule.Expr, rule.OnSuccess, rule.OnFailure, rule.Disabled, encoding);

    private sealed record KnownSchema(
        ParsedSchema Schema, ISchemaValueCodec? Codec, IReadOnlyList<ConditionRule> Rules, string? EnableAt,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? Tags, IReadOnlyDictionary<string, string> Types);
}

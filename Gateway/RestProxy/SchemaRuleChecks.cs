using System.Buffers.Binary;
using Tributary.Gateway.SchemaRegistry;
using Tributary.Grains.Interfaces.Schemas;

namespace Tributary.Gateway.RestProxy;

/// <summary>
/// The rules of the schemas records are produced or consumed with (a data contract's domain and encoding rules): write
/// rules before records are written, read rules before consumed records are answered, as Confluent's serializers and
/// deserializers in its REST Proxy run them. A schema without such rules costs nothing (its definition is in the
/// gateway's cache); one with them has the registry's codec grain run them.
/// </summary>
internal sealed class SchemaRuleChecks(IGrainFactory grains, SchemaCache schemas)
{
    /// <summary>Why one of the values (in Confluent's wire format of the schema named with it) fails a write rule, or null.</summary>
    public async Task<string?> FirstFailureAsync(IEnumerable<(int? SchemaId, byte[]? Bytes)> values)
    {
        foreach (var group in values.Where(v => v is { SchemaId: not null, Bytes.Length: >= 5 } && v.Bytes[0] == 0).GroupBy(v => v.SchemaId!.Value))
        {
            if (!await HasRulesAsync(group.Key, "WRITE"))
            {
                continue;
            }

            var encoded = group.Select(v => v.Bytes!).Where(b => BinaryPrimitives.ReadInt32BigEndian(b.AsSpan(1)) == group.Key).ToList();
            if (await grains.GetGrain<ISchemaCodecGrain>(0).CheckWriteRulesAsync(group.Key, encoded) is { } failure)
            {
                return failure;
            }
        }

        return null;
    }

    /// <summary>
    /// The first of the consumed keys and values (in Confluent's wire format, in the order a deserializer meets them)
    /// that fails a read rule of its schema: its index in <paramref name="values"/>, and why; null when none does.
    /// </summary>
    public async Task<(int Index, string Message)?> FirstReadFailureAsync(IReadOnlyList<byte[]?> values)
    {
        var withRules = new Dictionary<int, bool>();
        var toCheck = new List<(int Index, byte[] Bytes)>();
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] is not { Length: >= 5 } bytes || bytes[0] != 0)
            {
                continue;
            }

            var id = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1));
            if (!withRules.TryGetValue(id, out var hasRules))
            {
                withRules[id] = hasRules = await HasRulesAsync(id, "READ");
            }

            if (hasRules)
            {
                toCheck.Add((i, bytes));
            }
        }

        if (toCheck.Count == 0
            || await grains.GetGrain<ISchemaCodecGrain>(0).CheckReadRulesAsync(toCheck.Select(c => c.Bytes).ToList()) is not { } failure)
        {
            return null;
        }

        return (toCheck[failure.Index].Index, failure.Message);
    }

    private async ValueTask<bool> HasRulesAsync(int schemaId, string mode) =>
        await schemas.GetAsync(schemaId) is { } schema && HasRules(schema.Definition.RuleSet, mode);

    /// <summary>Rules that run in a mode (WRITE or READ): enabled, of that mode or WRITEREAD, with the rule set enabled everywhere (<c>enableAt</c> ALL).</summary>
    private static bool HasRules(SchemaRuleSet? ruleSet, string mode) =>
        ruleSet?.EnableAt is null or "ALL"
        && (ruleSet?.DomainRules ?? []).Concat(ruleSet?.EncodingRules ?? [])
            .Any(rule => !rule.Disabled && (rule.Mode?.ToUpperInvariant() == mode || rule.Mode?.ToUpperInvariant() == "WRITEREAD"));
}

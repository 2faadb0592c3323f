using System.Buffers.Binary;
using Tributary.Gateway.SchemaRegistry;
using Tributary.Grains.Interfaces.Schemas;

namespace Tributary.Gateway.RestProxy;

/// <summary>
/// The write rules of the schemas records are produced with (a data contract's domain and encoding rules), run before
/// the records are written, as Confluent's serializers in its REST Proxy run them: a schema without such rules costs
/// nothing (its definition is in the gateway's cache); one with them has the registry's codec grain run them.
/// </summary>
internal sealed class SchemaRuleChecks(IGrainFactory grains, SchemaCache schemas)
{
    /// <summary>Why one of the values (in Confluent's wire format of the schema named with it) fails a rule, or null.</summary>
    public async Task<string?> FirstFailureAsync(IEnumerable<(int? SchemaId, byte[]? Bytes)> values)
    {
        foreach (var group in values.Where(v => v is { SchemaId: not null, Bytes.Length: >= 5 } && v.Bytes[0] == 0).GroupBy(v => v.SchemaId!.Value))
        {
            if (await schemas.GetAsync(group.Key) is not { } schema || !HasWriteRules(schema.Definition.RuleSet))
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

    /// <summary>Rules that run on write: enabled, in mode WRITE or WRITEREAD, with the rule set enabled everywhere (<c>enableAt</c> ALL).</summary>
    private static bool HasWriteRules(SchemaRuleSet? ruleSet) =>
        ruleSet?.EnableAt is null or "ALL"
        && (ruleSet?.DomainRules ?? []).Concat(ruleSet?.EncodingRules ?? [])
            .Any(rule => !rule.Disabled && rule.Mode?.ToUpperInvariant() is "WRITE" or "WRITEREAD");
}

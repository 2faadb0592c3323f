using System.Globalization;
using Orleans.Concurrency;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.KafkaFormats.SchemaRegistry;
using Tributary.Grains.SchemaRegistry;
using Tributary.Grains.SchemaRegistry.Protobuf;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>Schemas in their other forms; references are read from their subjects, theirs before them.</summary>
[StatelessWorker]
public sealed class SchemaFormatterGrain : Grain, ISchemaFormatterGrain
{
    /// <summary>How deep references may chain; a cycle stops here too.</summary>
    private const int MaxReferenceDepth = 32;

    public async Task<RegistryResult<string>> FormatAsync(SchemaDefinition definition, string format)
    {
        if (!format.Equals("serialized", StringComparison.OrdinalIgnoreCase) || definition.SchemaType != ProtobufFormat.Name)
        {
            return RegistryResult<string>.Ok(definition.Schema);
        }

        try
        {
            return RegistryResult<string>.Ok(ProtobufFormat.Serialized(definition.Schema, await ResolveAsync(definition.References, 0)));
        }
        catch (InvalidSchemaException e)
        {
            return RegistryResult<string>.Fail(RegistryErrors.InvalidSchema, e.Message);
        }
    }

    private async Task<List<ResolvedReference>> ResolveAsync(IReadOnlyList<SchemaReferenceData> references, int depth)
    {
        if (depth > MaxReferenceDepth)
        {
            throw new InvalidSchemaException($"References nest deeper than {MaxReferenceDepth} levels.");
        }

        var resolved = new List<ResolvedReference>();
        foreach (var reference in references)
        {
            var found = await GrainFactory.GetGrain<ISchemaSubjectGrain>(reference.Subject)
                .GetVersionAsync(reference.Version.ToString(CultureInfo.InvariantCulture), includeDeleted: true);
            var target = found.Value?.Definition
                ?? throw new InvalidSchemaException($"Invalid reference '{reference.Name}': {reference.Subject} version {reference.Version} not found.");
            resolved.Add(new ResolvedReference(reference.Name, reference.Subject, reference.Version, target.Schema, await ResolveAsync(target.References, depth + 1)));
        }

        return resolved;
    }
}

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
    public async Task<RegistryResult<string>> FormatAsync(SchemaDefinition definition, string format, string context)
    {
        if (!format.Equals("serialized", StringComparison.OrdinalIgnoreCase) || definition.SchemaType != ProtobufFormat.Name)
        {
            return RegistryResult<string>.Ok(definition.Schema);
        }

        try
        {
            return RegistryResult<string>.Ok(ProtobufFormat.Serialized(definition.Schema, await SchemaReferences.ResolveAsync(GrainFactory, definition.References, context)));
        }
        catch (InvalidSchemaException e)
        {
            return RegistryResult<string>.Fail(RegistryErrors.InvalidSchema, e.Message);
        }
    }
}

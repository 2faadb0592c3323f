using Tributary.Grains.SchemaRegistry.Avro;
using Tributary.Grains.SchemaRegistry.Json;
using Tributary.Grains.SchemaRegistry.Protobuf;

namespace Tributary.Grains.SchemaRegistry;

/// <summary>The schema formats this registry serves, by <c>schemaType</c> (AVRO when none is given).</summary>
public sealed class SchemaFormats
{
    private readonly Dictionary<string, ISchemaFormat> _formats;

    public SchemaFormats(IEnumerable<ISchemaFormat> formats) =>
        _formats = formats.ToDictionary(f => f.Type, StringComparer.OrdinalIgnoreCase);

    public static SchemaFormats Default { get; } = new([new AvroFormat(), new JsonSchemaFormat(), new ProtobufFormat()]);

    /// <summary>What <c>GET /schemas/types</c> lists: only formats that work.</summary>
    public IReadOnlyList<string> Types => _formats.Keys.Order(StringComparer.Ordinal).ToList();

    public bool TryGet(string? type, out ISchemaFormat format) => _formats.TryGetValue(type ?? AvroFormat.Name, out format!);
}

using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Transforms.Util;

/// <summary>
/// Copies a schema's identity (name, version, doc and parameters) onto a new builder (Kafka's
/// <c>transforms.util.SchemaUtil</c>). Optionality and the default are deliberately not copied: the transforms decide
/// those themselves because a changed schema may need a changed default.
/// </summary>
public static class SchemaUtil
{
    /// <summary>A builder of the same type (and item, key and value schemas) carrying the basics of <paramref name="source"/>.</summary>
    public static SchemaBuilder CopySchemaBasics(Schema source)
    {
        var builder = source.Type switch
        {
            SchemaType.Array => SchemaBuilder.Array(source.ValueSchema!),
            SchemaType.Map => SchemaBuilder.Map(source.KeySchema!, source.ValueSchema!),
            _ => new SchemaBuilder(source.Type),
        };
        return CopySchemaBasics(source, builder);
    }

    public static SchemaBuilder CopySchemaBasics(Schema source, SchemaBuilder builder)
    {
        builder.WithName(source.Name);
        builder.WithVersion(source.Version);
        builder.WithDoc(source.Doc);
        if (source.Parameters is not null)
        {
            builder.Parameters(source.Parameters);
        }

        return builder;
    }
}

using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Avro.Data;

/// <summary>
/// The Connect schemas AvroData treats specially (Avro unions, enums and fixed types carried in Connect), and
/// Confluent's <c>nonOptional</c> copy.
/// </summary>
internal static class ConnectSchemaKinds
{
    public static bool IsUnion(Schema schema) =>
        schema.Name == AvroDataNames.AvroTypeUnion ||
        (schema.Type == SchemaType.Struct && schema.Parameters?.ContainsKey(AvroDataNames.GeneralizedTypeUnion) == true);

    public static bool IsEnum(Schema schema) =>
        schema.Type == SchemaType.String && schema.Parameters is { } p &&
        (p.ContainsKey(AvroDataNames.GeneralizedTypeEnum) || p.ContainsKey(AvroDataNames.AvroTypeEnum));

    public static bool IsFixed(Schema schema) =>
        schema.Type == SchemaType.Bytes && schema.Name is not null && schema.Parameters?.ContainsKey(AvroDataNames.ConnectFixedSizeProp) == true;

    public static bool IsDecimal(Schema schema) => string.Equals(schema.Name, LogicalTypes.DecimalName, StringComparison.OrdinalIgnoreCase);

    public static string? Parameter(Schema schema, string name) => schema.Parameters?.GetValueOrDefault(name);

    /// <summary>The same schema but required (Confluent's <c>nonOptional</c>), keeping its default when it still fits.</summary>
    public static Schema NonOptional(Schema schema)
    {
        if (!schema.IsOptional)
        {
            return schema;
        }

        try
        {
            return Copy(schema).DefaultValue(schema.DefaultValue).Build();
        }
        catch (DataException)
        {
            // A struct default keeps the optional schema it was made with, which the required copy no longer equals.
            return Copy(schema).Build();
        }
    }

    private static SchemaBuilder Copy(Schema schema)
    {
        var builder = schema.Type switch
        {
            SchemaType.Array => SchemaBuilder.Array(schema.ValueSchema!),
            SchemaType.Map => SchemaBuilder.Map(schema.KeySchema!, schema.ValueSchema!),
            _ => new SchemaBuilder(schema.Type),
        };
        builder.WithName(schema.Name).WithVersion(schema.Version).WithDoc(schema.Doc);
        if (schema.Parameters is not null)
        {
            builder.Parameters(schema.Parameters);
        }

        foreach (var field in schema.Fields)
        {
            builder.Field(field.Name, field.Schema);
        }

        return builder;
    }
}

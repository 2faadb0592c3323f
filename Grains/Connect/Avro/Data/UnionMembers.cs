using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Avro.Schemas;
using static Tributary.Grains.Connect.Avro.Data.AvroDataNames;

namespace Tributary.Grains.Connect.Avro.Data;

/// <summary>
/// The names of the fields a Connect union struct gives its Avro members (Confluent's <c>unionMemberFieldName</c>):
/// a named type's simple name (its full name with <c>enhanced.avro.schema.support</c>), any other type's Avro name,
/// or <c>connect_union_field_N</c> with generalized sum types.
/// </summary>
internal static class UnionMembers
{
    public static string FieldName(AvroType member, int index, AvroDataConfig config)
    {
        if (config.GeneralizedSumTypeSupport)
        {
            return GeneralizedTypeUnionFieldPrefix + index;
        }

        if (member is AvroNamed named)
        {
            return config.EnhancedAvroSchemaSupport ? named.FullName : named.Name;
        }

        return member.Kind.Name();
    }

    /// <summary>The same name for the Connect schema of a union member.</summary>
    public static string FieldName(Schema member, int index, AvroDataConfig config)
    {
        if (config.GeneralizedSumTypeSupport)
        {
            return GeneralizedTypeUnionFieldPrefix + index;
        }

        if (member.Type == SchemaType.Struct || ConnectSchemaKinds.IsEnum(member) || ConnectSchemaKinds.IsFixed(member))
        {
            return config.EnhancedAvroSchemaSupport
                ? AvroNames.ScrubFullName(member.Name, config.ScrubInvalidNames)!
                : AvroNames.Split(member.Name, config.ScrubInvalidNames).Name!;
        }

        return member.Type switch
        {
            SchemaType.Int32 => "int",
            SchemaType.Int64 => "long",
            SchemaType.Float32 => "float",
            SchemaType.Float64 => "double",
            SchemaType.Boolean => "boolean",
            SchemaType.String => "string",
            SchemaType.Bytes => "bytes",
            SchemaType.Array => "array",
            SchemaType.Map => "map",
            _ => member.Type.Name(),
        };
    }
}

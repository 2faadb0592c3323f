namespace Tributary.Grains.Connect.Api.Data;

/// <summary>
/// Connect's schema types (Kafka's <c>Schema.Type</c>), each with the one C# type its values take:
/// Int8 <see cref="sbyte"/>, Int16 <see cref="short"/>, Int32 <see cref="int"/>, Int64 <see cref="long"/>,
/// Float32 <see cref="float"/>, Float64 <see cref="double"/>, Boolean <see cref="bool"/>, String <see cref="string"/>,
/// Bytes <see cref="byte"/>[], Array <see cref="IList{T}"/> of object, Map <see cref="IDictionary{TKey,TValue}"/> of
/// object to object, Struct <see cref="Struct"/>. Logical types (Decimal, Date, Time, Timestamp) ride on these with
/// their own C# types, see <see cref="LogicalTypes"/>.
/// </summary>
public enum SchemaType
{
    Int8,
    Int16,
    Int32,
    Int64,
    Float32,
    Float64,
    Boolean,
    String,
    Bytes,
    Array,
    Map,
    Struct,
}

public static class SchemaTypes
{
    /// <summary>Kafka's lower-case name of a type, as JSON schemas and error messages spell it (<c>int32</c>, <c>struct</c>).</summary>
    public static string Name(this SchemaType type) => type switch
    {
        SchemaType.Int8 => "int8",
        SchemaType.Int16 => "int16",
        SchemaType.Int32 => "int32",
        SchemaType.Int64 => "int64",
        SchemaType.Float32 => "float32",
        SchemaType.Float64 => "float64",
        SchemaType.Boolean => "boolean",
        SchemaType.String => "string",
        SchemaType.Bytes => "bytes",
        SchemaType.Array => "array",
        SchemaType.Map => "map",
        SchemaType.Struct => "struct",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The type named as Kafka names it, case-insensitively; null when there is none.</summary>
    public static SchemaType? Parse(string name) => name.ToLowerInvariant() switch
    {
        "int8" => SchemaType.Int8,
        "int16" => SchemaType.Int16,
        "int32" => SchemaType.Int32,
        "int64" => SchemaType.Int64,
        "float32" => SchemaType.Float32,
        "float64" => SchemaType.Float64,
        "boolean" => SchemaType.Boolean,
        "string" => SchemaType.String,
        "bytes" => SchemaType.Bytes,
        "array" => SchemaType.Array,
        "map" => SchemaType.Map,
        "struct" => SchemaType.Struct,
        _ => null,
    };

    public static bool IsPrimitive(this SchemaType type) => type is not (SchemaType.Array or SchemaType.Map or SchemaType.Struct);
}

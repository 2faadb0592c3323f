namespace Tributary.Grains.Connect.Avro.Schemas;

/// <summary>The Avro schema types, with the names Avro's JSON spells them by (<see cref="AvroKinds.Name"/>).</summary>
internal enum AvroKind
{
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
    Record,
    Enum,
    Array,
    Map,
    Union,
    Fixed,
}

/// <summary>Avro's names of its types, both ways.</summary>
internal static class AvroKinds
{
    public static string Name(this AvroKind kind) => kind switch
    {
        AvroKind.Null => "null",
        AvroKind.Boolean => "boolean",
        AvroKind.Int => "int",
        AvroKind.Long => "long",
        AvroKind.Float => "float",
        AvroKind.Double => "double",
        AvroKind.Bytes => "bytes",
        AvroKind.String => "string",
        AvroKind.Record => "record",
        AvroKind.Enum => "enum",
        AvroKind.Array => "array",
        AvroKind.Map => "map",
        AvroKind.Union => "union",
        _ => "fixed",
    };

    /// <summary>The primitive type of that name, or null for any other name.</summary>
    public static AvroKind? Primitive(string name) => name switch
    {
        "null" => AvroKind.Null,
        "boolean" => AvroKind.Boolean,
        "int" => AvroKind.Int,
        "long" => AvroKind.Long,
        "float" => AvroKind.Float,
        "double" => AvroKind.Double,
        "bytes" => AvroKind.Bytes,
        "string" => AvroKind.String,
        _ => null,
    };
}

namespace Tributary.Grains.Connect.Avro.Schemas;

/// <summary>
/// An Avro schema as Confluent's converter builds and reads it: a type with custom properties (<c>connect.name</c>,
/// <c>logicalType</c>...). Tributary's own model rather than Apache.Avro's, because that one hides the properties'
/// order and list, which the converter must read all of and write in Java's order.
/// </summary>
internal abstract class AvroType
{
    public const string LogicalTypeProp = "logicalType";

    public abstract AvroKind Kind { get; }

    public AvroProps Props { get; } = new();

    public string? LogicalType => Props.GetString(LogicalTypeProp);

    /// <summary>The name a union member is known by: the full name of a named type, else the type's name.</summary>
    public virtual string FullName => Kind.Name();
}

/// <summary>An Avro primitive (null, boolean, int, long, float, double, bytes, string).</summary>
internal sealed class AvroPrimitive(AvroKind kind) : AvroType
{
    public override AvroKind Kind { get; } = kind;
}

/// <summary>An Avro array of one item type.</summary>
internal sealed class AvroArray(AvroType items) : AvroType
{
    public override AvroKind Kind => AvroKind.Array;

    public AvroType Items { get; } = items;
}

/// <summary>An Avro map from strings to one value type.</summary>
internal sealed class AvroMap(AvroType values) : AvroType
{
    public override AvroKind Kind => AvroKind.Map;

    public AvroType Values { get; } = values;
}

/// <summary>An Avro union; Avro allows no properties on it, so AvroData puts its metadata on the members.</summary>
internal sealed class AvroUnion(IReadOnlyList<AvroType> types) : AvroType
{
    public override AvroKind Kind => AvroKind.Union;

    public IReadOnlyList<AvroType> Types { get; } = types;
}

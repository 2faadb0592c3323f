namespace Tributary.Grains.Connect.Avro.Schemas;

/// <summary>
/// A named Avro type (record, enum, fixed): a simple name in a namespace (null when there is none) and a doc.
/// </summary>
internal abstract class AvroNamed(string name, string? space, string? doc) : AvroType
{
    public string Name { get; } = name;

    public string? Namespace { get; } = string.IsNullOrEmpty(space) ? null : space;

    public string? Doc { get; } = doc;

    public override string FullName => Namespace is null ? Name : Namespace + "." + Name;

    /// <summary>Splits a dotted full name into namespace and simple name, as Avro's <c>Name</c> does.</summary>
    public static (string? Space, string Name) Split(string fullName, string? defaultSpace)
    {
        var dot = fullName.LastIndexOf('.');
        return dot < 0 ? (defaultSpace, fullName) : (fullName[..dot], fullName[(dot + 1)..]);
    }
}

/// <summary>An Avro record; its fields are set after it is made, so that a field may refer back to it by name.</summary>
internal sealed class AvroRecord(string name, string? space, string? doc) : AvroNamed(name, space, doc)
{
    public override AvroKind Kind => AvroKind.Record;

    public IReadOnlyList<AvroField> Fields { get; set; } = [];

    public AvroField? Field(string fieldName) => Fields.FirstOrDefault(f => f.Name == fieldName);
}

/// <summary>An Avro enum: its symbols and the optional default symbol readers fall back on.</summary>
internal sealed class AvroEnum(string name, string? space, string? doc, IReadOnlyList<string> symbols, string? defaultSymbol)
    : AvroNamed(name, space, doc)
{
    public override AvroKind Kind => AvroKind.Enum;

    public IReadOnlyList<string> Symbols { get; } = symbols;

    public string? Default { get; } = defaultSymbol;
}

/// <summary>An Avro fixed: a named type of exactly <see cref="Size"/> bytes.</summary>
internal sealed class AvroFixed(string name, string? space, string? doc, int size) : AvroNamed(name, space, doc)
{
    public override AvroKind Kind => AvroKind.Fixed;

    public int Size { get; } = size;
}

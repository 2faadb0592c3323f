using System.Collections.ObjectModel;

namespace Tributary.Grains.Connect.Api.Data;

/// <summary>
/// An immutable Connect schema (Kafka's <c>ConnectSchema</c>): a type, whether null is allowed, a default, an optional
/// name, version, doc and string parameters, and for complex types the fields (struct), the items (array) or the keys
/// and values (map). Built with <see cref="SchemaBuilder"/>; the primitive schemas are shared as static instances.
/// Two schemas are equal when every part is equal (the default value compared as a Connect value).
/// </summary>
public sealed class Schema : IEquatable<Schema>
{
    private static readonly IReadOnlyList<Field> NoFields = [];
    private readonly Dictionary<string, Field>? _fieldsByName;

    internal Schema(
        SchemaType type, bool optional, object? defaultValue, string? name, int? version, string? doc,
        IReadOnlyDictionary<string, string>? parameters, IReadOnlyList<Field>? fields, Schema? keySchema, Schema? valueSchema)
    {
        Type = type;
        IsOptional = optional;
        Name = name;
        Version = version;
        Doc = doc;
        Parameters = parameters is null ? null : new ReadOnlyDictionary<string, string>(new Dictionary<string, string>(parameters));
        KeySchema = keySchema;
        ValueSchema = valueSchema;
        if (type == SchemaType.Struct)
        {
            Fields = fields ?? NoFields;
            _fieldsByName = Fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        }
        else
        {
            Fields = NoFields;
        }

        if (defaultValue is not null)
        {
            ConnectValues.Validate(this, defaultValue);
        }

        DefaultValue = defaultValue;
    }

    public static readonly Schema Int8 = new SchemaBuilder(SchemaType.Int8).Build();
    public static readonly Schema Int16 = new SchemaBuilder(SchemaType.Int16).Build();
    public static readonly Schema Int32 = new SchemaBuilder(SchemaType.Int32).Build();
    public static readonly Schema Int64 = new SchemaBuilder(SchemaType.Int64).Build();
    public static readonly Schema Float32 = new SchemaBuilder(SchemaType.Float32).Build();
    public static readonly Schema Float64 = new SchemaBuilder(SchemaType.Float64).Build();
    public static readonly Schema Boolean = new SchemaBuilder(SchemaType.Boolean).Build();
    public static readonly Schema String = new SchemaBuilder(SchemaType.String).Build();
    public static readonly Schema Bytes = new SchemaBuilder(SchemaType.Bytes).Build();
    public static readonly Schema OptionalInt8 = new SchemaBuilder(SchemaType.Int8).Optional().Build();
    public static readonly Schema OptionalInt16 = new SchemaBuilder(SchemaType.Int16).Optional().Build();
    public static readonly Schema OptionalInt32 = new SchemaBuilder(SchemaType.Int32).Optional().Build();
    public static readonly Schema OptionalInt64 = new SchemaBuilder(SchemaType.Int64).Optional().Build();
    public static readonly Schema OptionalFloat32 = new SchemaBuilder(SchemaType.Float32).Optional().Build();
    public static readonly Schema OptionalFloat64 = new SchemaBuilder(SchemaType.Float64).Optional().Build();
    public static readonly Schema OptionalBoolean = new SchemaBuilder(SchemaType.Boolean).Optional().Build();
    public static readonly Schema OptionalString = new SchemaBuilder(SchemaType.String).Optional().Build();
    public static readonly Schema OptionalBytes = new SchemaBuilder(SchemaType.Bytes).Optional().Build();

    public SchemaType Type { get; }

    public bool IsOptional { get; }

    public object? DefaultValue { get; }

    /// <summary>The schema's name; logical types are named by it (<c>org.apache.kafka.connect.data.Decimal</c>).</summary>
    public string? Name { get; }

    public int? Version { get; }

    public string? Doc { get; }

    public IReadOnlyDictionary<string, string>? Parameters { get; }

    /// <summary>A struct's fields in order; empty for every other type.</summary>
    public IReadOnlyList<Field> Fields { get; }

    /// <summary>A map's key schema; null for every other type.</summary>
    public Schema? KeySchema { get; }

    /// <summary>An array's item schema or a map's value schema; null for every other type.</summary>
    public Schema? ValueSchema { get; }

    /// <summary>The struct field of that name, or null (Kafka's <c>field(name)</c>); throws for a schema that is not a struct.</summary>
    public Field? Field(string fieldName)
    {
        if (_fieldsByName is null)
        {
            throw new DataException("Cannot look up fields on non-struct type");
        }

        return _fieldsByName.GetValueOrDefault(fieldName);
    }

    public bool Equals(Schema? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        return other is not null &&
               Type == other.Type &&
               IsOptional == other.IsOptional &&
               Name == other.Name &&
               Version == other.Version &&
               Doc == other.Doc &&
               ConnectValues.AreEqual(DefaultValue, other.DefaultValue) &&
               ParametersEqual(Parameters, other.Parameters) &&
               Fields.SequenceEqual(other.Fields) &&
               Equals(KeySchema, other.KeySchema) &&
               Equals(ValueSchema, other.ValueSchema);
    }

    public override bool Equals(object? obj) => obj is Schema other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Type, IsOptional, Name, Version, Fields.Count, KeySchema, ValueSchema);

    public override string ToString() => Name is null ? $"Schema{{{Type.Name().ToUpperInvariant()}}}" : $"Schema{{{Name}:{Type.Name().ToUpperInvariant()}}}";

    private static bool ParametersEqual(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        return a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);
    }
}

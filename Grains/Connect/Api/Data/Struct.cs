namespace Tributary.Grains.Connect.Api.Data;

/// <summary>
/// A value of a struct schema (Kafka's <c>Struct</c>): one slot per field, set with <see cref="Put(string, object?)"/>,
/// each value checked against its field's schema as it is set. <see cref="Validate"/> checks that every required field
/// is set. A field not set reads as its schema's default. Not thread-safe; treat it as immutable once it is in a record.
/// </summary>
public sealed class Struct : IEquatable<Struct>
{
    private readonly object?[] _values;

    public Struct(Schema schema)
    {
        if (schema.Type != SchemaType.Struct)
        {
            throw new DataException("Not a struct schema: " + schema);
        }

        Schema = schema;
        _values = new object?[schema.Fields.Count];
    }

    public Schema Schema { get; }

    /// <summary>The field's value, or its schema's default when it was not set.</summary>
    public object? Get(string fieldName) => Get(LookupField(fieldName));

    public object? Get(Field field)
    {
        var value = _values[field.Index];
        return value ?? field.Schema.DefaultValue;
    }

    /// <summary>The field's value as it was set, without falling back to the default.</summary>
    public object? GetWithoutDefault(string fieldName) => _values[LookupField(fieldName).Index];

    /// <summary>As <see cref="GetWithoutDefault(string)"/>, for a field of this struct's schema (or of an equal one): no lookup by name.</summary>
    public object? GetWithoutDefault(Field field)
    {
        if (field.Index >= _values.Length || (!ReferenceEquals(Schema.Fields[field.Index], field) && !Schema.Fields[field.Index].Equals(field)))
        {
            throw new DataException("Field not a member of this struct: " + field.Name);
        }

        return _values[field.Index];
    }

    public sbyte? GetInt8(string fieldName) => (sbyte?)GetChecked(fieldName, SchemaType.Int8);
    public short? GetInt16(string fieldName) => (short?)GetChecked(fieldName, SchemaType.Int16);
    public int? GetInt32(string fieldName) => (int?)GetChecked(fieldName, SchemaType.Int32);
    public long? GetInt64(string fieldName) => (long?)GetChecked(fieldName, SchemaType.Int64);
    public float? GetFloat32(string fieldName) => (float?)GetChecked(fieldName, SchemaType.Float32);
    public double? GetFloat64(string fieldName) => (double?)GetChecked(fieldName, SchemaType.Float64);
    public bool? GetBoolean(string fieldName) => (bool?)GetChecked(fieldName, SchemaType.Boolean);
    public string? GetString(string fieldName) => (string?)GetChecked(fieldName, SchemaType.String);
    public byte[]? GetBytes(string fieldName) => (byte[]?)GetChecked(fieldName, SchemaType.Bytes);
    public Struct? GetStruct(string fieldName) => (Struct?)GetChecked(fieldName, SchemaType.Struct);

    /// <summary>Sets a field after checking the value against the field's schema; returns this struct to chain calls.</summary>
    public Struct Put(string fieldName, object? value) => Put(LookupField(fieldName), value);

    public Struct Put(Field field, object? value)
    {
        if (!ReferenceEquals(Schema.Fields[field.Index], field) && !Schema.Fields[field.Index].Equals(field))
        {
            throw new DataException("Field not a member of this struct: " + field.Name);
        }

        ConnectValues.Validate(field.Schema, value, field.Name);
        _values[field.Index] = value;
        return this;
    }

    /// <summary>
    /// Sets the value at a field's position without checking it against the field's schema: only for decoders that
    /// make each value from that schema, whose check would repeat what they already ensured, record after record.
    /// </summary>
    internal void PutUnchecked(int index, object? value) => _values[index] = value;

    /// <summary>Checks that every field holds a value its schema allows (a required field without value or default fails).</summary>
    public void Validate() => ConnectValues.Validate(Schema, this);

    public bool Equals(Struct? other) =>
        other is not null && Schema.Equals(other.Schema) && ConnectValues.SequenceEqual(_values, other._values);

    public override bool Equals(object? obj) => obj is Struct other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Schema, _values.Length);

    public override string ToString() =>
        "Struct{" + string.Join(",", Schema.Fields.Where(f => _values[f.Index] is not null).Select(f => $"{f.Name}={ConnectValues.Format(_values[f.Index])}")) + "}";

    private object? GetChecked(string fieldName, SchemaType expected)
    {
        var field = LookupField(fieldName);
        if (field.Schema.Type != expected)
        {
            throw new DataException($"Field '{fieldName}' is not of type {expected.Name().ToUpperInvariant()}");
        }

        return Get(field);
    }

    private Field LookupField(string fieldName) =>
        Schema.Field(fieldName) ?? throw new DataException(fieldName + " is not a valid field name");
}

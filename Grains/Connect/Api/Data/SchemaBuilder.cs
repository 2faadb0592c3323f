namespace Tributary.Grains.Connect.Api.Data;

/// <summary>
/// Builds a <see cref="Schema"/> step by step (Kafka's <c>SchemaBuilder</c>); each property may be set once, as Kafka
/// insists, so that a builder passed around cannot be silently changed.
/// </summary>
public sealed class SchemaBuilder(SchemaType type)
{
    private bool? _optional;
    private object? _defaultValue;
    private bool _defaultSet;
    private string? _name;
    private int? _version;
    private string? _doc;
    private Dictionary<string, string>? _parameters;
    private readonly List<Field>? _fields = type == SchemaType.Struct ? [] : null;
    private Schema? _keySchema;
    private Schema? _valueSchema;

    public SchemaType Type { get; } = type;

    public static SchemaBuilder Int8() => new(SchemaType.Int8);
    public static SchemaBuilder Int16() => new(SchemaType.Int16);
    public static SchemaBuilder Int32() => new(SchemaType.Int32);
    public static SchemaBuilder Int64() => new(SchemaType.Int64);
    public static SchemaBuilder Float32() => new(SchemaType.Float32);
    public static SchemaBuilder Float64() => new(SchemaType.Float64);
    public static SchemaBuilder Bool() => new(SchemaType.Boolean);
    public static SchemaBuilder String() => new(SchemaType.String);
    public static SchemaBuilder Bytes() => new(SchemaType.Bytes);
    public static SchemaBuilder Struct() => new(SchemaType.Struct);

    public static SchemaBuilder Array(Schema valueSchema) => new SchemaBuilder(SchemaType.Array) { _valueSchema = valueSchema };

    public static SchemaBuilder Map(Schema keySchema, Schema valueSchema) =>
        new SchemaBuilder(SchemaType.Map) { _keySchema = keySchema, _valueSchema = valueSchema };

    /// <summary>A builder that starts as a copy of every part of <paramref name="schema"/> but its fields, which the caller adds.</summary>
    public static SchemaBuilder CopyOf(Schema schema, bool withFields = true)
    {
        var builder = new SchemaBuilder(schema.Type) { _keySchema = schema.KeySchema, _valueSchema = schema.ValueSchema };
        builder._name = schema.Name;
        builder._version = schema.Version;
        builder._doc = schema.Doc;
        builder._optional = schema.IsOptional;
        if (schema.Parameters is not null)
        {
            builder._parameters = new Dictionary<string, string>(schema.Parameters);
        }

        if (withFields)
        {
            foreach (var field in schema.Fields)
            {
                builder.Field(field.Name, field.Schema);
            }
        }

        return builder;
    }

    public bool IsOptional => _optional ?? false;

    public string? Name => _name;

    public SchemaBuilder Optional() => SetOnce(ref _optional, true, "optionality");

    public SchemaBuilder Required() => SetOnce(ref _optional, false, "optionality");

    /// <summary>
    /// The default; set once (again with an equal value is allowed, as Kafka's <c>checkCanSet</c>). It is checked against
    /// the schema by <see cref="Build"/>, once the name that makes a logical type is known, with Kafka's "Invalid default value".
    /// </summary>
    public SchemaBuilder DefaultValue(object? value)
    {
        if (_defaultSet && _defaultValue is not null && !ConnectValues.AreEqual(_defaultValue, value))
        {
            throw new SchemaBuilderException("Invalid SchemaBuilder call: default has already been set.");
        }

        _defaultSet = true;
        _defaultValue = value;
        return this;
    }

    public SchemaBuilder WithName(string? name) => SetOnce(ref _name, name, "name");

    public SchemaBuilder WithVersion(int? version) => SetOnce(ref _version, version, "version");

    public SchemaBuilder WithDoc(string? doc) => SetOnce(ref _doc, doc, "doc");

    public SchemaBuilder Parameter(string name, string value)
    {
        _parameters ??= new Dictionary<string, string>(StringComparer.Ordinal);
        _parameters[name] = value;
        return this;
    }

    public SchemaBuilder Parameters(IReadOnlyDictionary<string, string> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            Parameter(name, value);
        }

        return this;
    }

    /// <summary>Adds a struct field; its name must be new.</summary>
    public SchemaBuilder Field(string fieldName, Schema fieldSchema)
    {
        if (_fields is null)
        {
            throw new SchemaBuilderException("Cannot create fields on type " + Type.Name().ToUpperInvariant());
        }

        if (string.IsNullOrEmpty(fieldName))
        {
            throw new SchemaBuilderException("fieldName cannot be null.");
        }

        ArgumentNullException.ThrowIfNull(fieldSchema);
        if (_fields.Any(f => f.Name == fieldName))
        {
            throw new SchemaBuilderException("Cannot create field because of field name duplication " + fieldName);
        }

        _fields.Add(new Field(fieldName, _fields.Count, fieldSchema));
        return this;
    }

    public IReadOnlyList<Field> Fields => _fields ?? throw new DataException("Cannot list fields on non-struct type");

    public Schema Build()
    {
        try
        {
            return new Schema(Type, _optional ?? false, _defaultValue, _name, _version, _doc, _parameters, _fields?.ToArray(), _keySchema, _valueSchema);
        }
        catch (DataException e) when (_defaultValue is not null)
        {
            throw new SchemaBuilderException("Invalid default value", e);
        }
    }

    private SchemaBuilder SetOnce<T>(ref T field, T value, string what)
    {
        if (field is not null && !EqualityComparer<T>.Default.Equals(field, value))
        {
            throw new SchemaBuilderException($"Invalid SchemaBuilder call: {what} has already been set.");
        }

        field = value;
        return this;
    }
}

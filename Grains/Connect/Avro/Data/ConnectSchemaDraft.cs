using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Avro.Data;

/// <summary>
/// A Connect schema being read from Avro, part by part, in the order Confluent's <c>toConnectSchema</c> fills its
/// builder; unlike <see cref="SchemaBuilder"/> it tells what is set so far (the name and version a logical type brought)
/// and a parameter may be set again (the later value wins, as in Java). A default that does not fit is dropped, as
/// Confluent drops it with a warning.
/// </summary>
internal sealed class ConnectSchemaDraft(SchemaType type)
{
    private readonly Dictionary<string, string> _parameters = new(StringComparer.Ordinal);
    private readonly List<(string Name, Schema Schema)> _fields = [];

    public SchemaType Type { get; } = type;

    public string? Name { get; set; }

    public int? Version { get; set; }

    public string? Doc { get; set; }

    public bool Optional { get; set; }

    public Schema? KeySchema { get; init; }

    public Schema? ValueSchema { get; init; }

    public bool HasField(string name) => _fields.Exists(f => f.Name == name);

    public void Parameter(string name, string value) => _parameters[name] = value;

    public void Field(string name, Schema schema) => _fields.Add((name, schema));

    /// <summary>The schema without a default, for converting the default against (as Java converts it against the builder).</summary>
    public Schema Build() => Builder().Build();

    public Schema Build(object? defaultValue)
    {
        if (defaultValue is null)
        {
            return Build();
        }

        try
        {
            return Builder().DefaultValue(defaultValue).Build();
        }
        catch (DataException)
        {
            return Build();
        }
    }

    private SchemaBuilder Builder()
    {
        var builder = Type switch
        {
            SchemaType.Array => SchemaBuilder.Array(ValueSchema!),
            SchemaType.Map => SchemaBuilder.Map(KeySchema!, ValueSchema!),
            _ => new SchemaBuilder(Type),
        };
        builder.WithName(Name).WithVersion(Version).WithDoc(Doc);
        if (Optional)
        {
            builder.Optional();
        }

        if (_parameters.Count > 0)
        {
            builder.Parameters(_parameters);
        }

        foreach (var (name, schema) in _fields)
        {
            builder.Field(name, schema);
        }

        return builder;
    }
}

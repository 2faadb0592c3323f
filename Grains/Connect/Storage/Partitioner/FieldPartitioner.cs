using System.Globalization;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;

namespace Tributary.Grains.Connect.Storage.Partitioner;

/// <summary>
/// Confluent's <c>FieldPartitioner</c>: the values of the <c>partition.field.name</c> fields of the record's value, as
/// <c>name=value</c> directories in the order given. Integer, string and boolean fields only, as there; a value that
/// is not a struct (or, without a schema, a map), or a field of another type or null, cannot be placed.
/// </summary>
public sealed class FieldPartitioner : Partitioner
{
    private readonly IReadOnlyList<string> _fields;

    public FieldPartitioner(PartitionerConfig config)
        : base(config.Delimiter)
    {
        _fields = config.FieldNames.Count > 0
            ? config.FieldNames
            : throw new ConfigException(PartitionerConfig.PartitionFieldName, "", "The field partitioner needs at least one field name.");
    }

    public override IReadOnlyList<string> PartitionFields => _fields;

    public override string EncodePartition(SinkRecord record, long nowMs)
    {
        if (record.Value is not (Struct or System.Collections.IDictionary))
        {
            throw new PartitionException("Error encoding partition: the record's value is not a struct.");
        }

        var parts = new string[_fields.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            var name = _fields[i];
            var (schema, value) = Read(record, name);
            var text = (schema?.Type, value) switch
            {
                (SchemaType.Int8 or SchemaType.Int16 or SchemaType.Int32 or SchemaType.Int64, sbyte or short or int or long) => ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture),
                (SchemaType.String, string s) => s,
                (SchemaType.Boolean, bool b) => b ? "true" : "false",
                (null, sbyte or short or int or long) => ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture),
                (null, string s) => s,
                (null, bool b) => b ? "true" : "false",
                _ => throw new PartitionException(
                    $"Error encoding partition: field {name} is {(value is null ? "null" : schema?.Type.ToString() ?? value.GetType().Name)}, not an integer, string or boolean."),
            };
            parts[i] = name + "=" + text;
        }

        return string.Join(Delimiter, parts);
    }

    private static (Schema? Schema, object? Value) Read(SinkRecord record, string name)
    {
        try
        {
            return StructPaths.Get(record.Value, name);
        }
        catch (DataException e)
        {
            throw new PartitionException("Error encoding partition: " + e.Message);
        }
    }
}

using Tributary.Grains.Connect.Api.Data;

namespace Tributary.Grains.Connect.Storage.Partitioner;

/// <summary>
/// A field of a record's value by name, a dotted name reaching into nested structs (<c>order.created_at</c>), as the
/// storage connectors' <c>DataUtils.getNestedFieldValue</c> reads it: from a Struct with its schema, or from a map
/// when the value has no schema.
/// </summary>
internal static class StructPaths
{
    /// <summary>The field's schema (null for a map) and value; throws <see cref="DataException"/> for a field that is not there.</summary>
    public static (Schema? Schema, object? Value) Get(object? value, string path)
    {
        Schema? schema = null;
        var current = value;
        foreach (var name in path.Split('.'))
        {
            switch (current)
            {
                case Struct s:
                    var field = s.Schema.Field(name) ?? throw new DataException($"{name} is not a valid field name");
                    schema = field.Schema;
                    current = s.Get(field);
                    break;
                case System.Collections.IDictionary map:
                    schema = null;
                    current = map.Contains(name) ? map[name] : throw new DataException($"{name} is not a valid field name");
                    break;
                default:
                    throw new DataException($"Cannot read field {name} of {path}: the value is not a struct or a map");
            }
        }

        return (schema, current);
    }
}

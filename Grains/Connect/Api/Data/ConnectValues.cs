using System.Collections;
using System.Globalization;

namespace Tributary.Grains.Connect.Api.Data;

/// <summary>
/// Checks and compares Connect values against schemas (Kafka's <c>ConnectSchema.validateValue</c> and the deep
/// equality of its values): byte arrays, lists and maps compare by content, not by reference.
/// </summary>
public static class ConnectValues
{
    /// <summary>Throws a <see cref="DataException"/> unless <paramref name="value"/> is one that <paramref name="schema"/> allows.</summary>
    public static void Validate(Schema schema, object? value, string? fieldName = null) => ValidateAt(schema, value, new Location("", fieldName));

    /// <summary>
    /// Where a value sits, as Kafka's messages name it (<c>element of array field: "f"</c>): a prefix for the containers
    /// around it and the field's name. The text is made only for a message; a valid value (nearly all) costs no string.
    /// </summary>
    private readonly record struct Location(string Prefix, string? FieldName)
    {
        public Location Within(string container) => this with { Prefix = container + Prefix };

        public override string ToString() => Prefix + (FieldName is null ? "value" : $"field: \"{FieldName}\"");
    }

    /// <summary>Kafka's <c>validateValue</c>, naming where the value sits as Kafka's messages do.</summary>
    private static void ValidateAt(Schema schema, object? value, Location location)
    {
        if (value is null)
        {
            if (!schema.IsOptional && schema.DefaultValue is null)
            {
                throw new DataException($"Invalid value: null used for required {location}, schema type: {schema.Type.Name().ToUpperInvariant()}");
            }

            return;
        }

        var logical = LogicalTypes.ValueType(schema);
        if (logical is not null)
        {
            if (value.GetType() != logical)
            {
                throw Mismatch(schema, value, location);
            }

            return;
        }

        var ok = schema.Type switch
        {
            SchemaType.Int8 => value is sbyte,
            SchemaType.Int16 => value is short,
            SchemaType.Int32 => value is int,
            SchemaType.Int64 => value is long,
            SchemaType.Float32 => value is float,
            SchemaType.Float64 => value is double,
            SchemaType.Boolean => value is bool,
            SchemaType.String => value is string,
            SchemaType.Bytes => value is byte[],
            SchemaType.Array => value is IList,
            SchemaType.Map => value is IDictionary,
            SchemaType.Struct => value is Struct,
            _ => false,
        };
        if (!ok)
        {
            throw Mismatch(schema, value, location);
        }

        switch (schema.Type)
        {
            case SchemaType.Array:
                var element = location.Within("element of array ");
                foreach (var item in (IList)value)
                {
                    ValidateAt(schema.ValueSchema!, item, element);
                }

                break;
            case SchemaType.Map:
                var (key, mapValue) = (location.Within("key of map "), location.Within("value of map "));
                foreach (DictionaryEntry entry in (IDictionary)value)
                {
                    ValidateAt(schema.KeySchema!, entry.Key, key);
                    ValidateAt(schema.ValueSchema!, entry.Value, mapValue);
                }

                break;
            case SchemaType.Struct:
                var s = (Struct)value;
                if (!s.Schema.Equals(schema))
                {
                    throw new DataException("Struct schemas do not match.");
                }

                s.Validate();
                break;
        }
    }

    /// <summary>Internal: checks every field of a struct (used by <see cref="Struct.Validate"/>).</summary>
    internal static void Validate(Schema structSchema, Struct value)
    {
        foreach (var field in structSchema.Fields)
        {
            Validate(field.Schema, value.GetWithoutDefault(field.Name) ?? field.Schema.DefaultValue, field.Name);
        }
    }

    /// <summary>Deep equality of two Connect values.</summary>
    public static bool AreEqual(object? a, object? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a is null || b is null)
        {
            return false;
        }

        return (a, b) switch
        {
            (byte[] x, byte[] y) => x.AsSpan().SequenceEqual(y),
            (string x, string y) => x == y,
            (IDictionary x, IDictionary y) => MapsEqual(x, y),
            (IList x, IList y) => x.Count == y.Count && Enumerable.Range(0, x.Count).All(i => AreEqual(x[i], y[i])),
            _ => a.Equals(b),
        };
    }

    internal static bool SequenceEqual(object?[] a, object?[] b) =>
        a.Length == b.Length && Enumerable.Range(0, a.Length).All(i => AreEqual(a[i], b[i]));

    /// <summary>A value as Kafka's toString would show it, for messages and logs.</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        byte[] bytes => "[" + string.Join(", ", bytes.Select(b => ((sbyte)b).ToString(CultureInfo.InvariantCulture))) + "]",
        string s => s,
        IDictionary map => "{" + string.Join(", ", Entries(map).Select(e => $"{Format(e.Key)}={Format(e.Value)}")) + "}",
        IList list => "[" + string.Join(", ", list.Cast<object?>().Select(Format)) + "]",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>A map's entries; <c>Cast&lt;DictionaryEntry&gt;</c> would not do, since a generic dictionary enumerates key-value pairs.</summary>
    private static IEnumerable<DictionaryEntry> Entries(IDictionary map)
    {
        var enumerator = map.GetEnumerator();
        while (enumerator.MoveNext())
        {
            yield return enumerator.Entry;
        }
    }

    private static bool MapsEqual(IDictionary x, IDictionary y)
    {
        if (x.Count != y.Count)
        {
            return false;
        }

        foreach (DictionaryEntry entry in x)
        {
            if (!y.Contains(entry.Key) || !AreEqual(entry.Value, y[entry.Key]))
            {
                return false;
            }
        }

        return true;
    }

    private static DataException Mismatch(Schema schema, object value, Location location) =>
        new($"Invalid Java object for schema{(schema.Name is null ? "" : $" \"{schema.Name}\"")} with type {schema.Type.Name().ToUpperInvariant()}: class {value.GetType().FullName} for {location}");
}

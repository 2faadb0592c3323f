using System.Collections;

namespace Tributary.Grains.Connect.Api.Data;

/// <summary>
/// Kafka's <c>SchemaProjector</c>: a value of one schema re-expressed in a compatible one, as a reader of the newer
/// schema would see it. Struct fields are matched by name: a field the target lacks is dropped, a field the source
/// lacks takes the target's default (or null when optional), and numbers widen along Kafka's promotions (int8 to
/// int16 to int32 to int64 to float32 to float64). Names and parameters (logical types, decimal scale) must agree.
/// </summary>
public static class SchemaProjector
{
    public static object? Project(Schema source, object? value, Schema target)
    {
        CheckMaybeCompatible(source, target);
        if (source.IsOptional && !target.IsOptional)
        {
            if (target.DefaultValue is null)
            {
                throw new SchemaProjectorException("Writer schema is optional, however, target schema does not provide a default value.");
            }

            return value is null ? target.DefaultValue : ProjectRequired(source, value, target);
        }

        return value is null ? null : ProjectRequired(source, value, target);
    }

    private static object ProjectRequired(Schema source, object value, Schema target) => target.Type switch
    {
        SchemaType.Struct => ProjectStruct(source, (Struct)value, target),
        SchemaType.Array => ProjectArray(source, (IList)value, target),
        SchemaType.Map => ProjectMap(source, (IDictionary)value, target),
        _ when source.Type == target.Type => value,
        _ => Promote(value, target.Type),
    };

    private static Struct ProjectStruct(Schema source, Struct value, Schema target)
    {
        var projected = new Struct(target);
        foreach (var field in target.Fields)
        {
            if (source.Field(field.Name) is { } sourceField)
            {
                projected.Put(field, Project(sourceField.Schema, value.Get(sourceField), field.Schema));
            }
            else if (field.Schema.IsOptional)
            {
                // left unset: an optional field reads as null (or its default)
            }
            else if (field.Schema.DefaultValue is { } defaultValue)
            {
                projected.Put(field, defaultValue);
            }
            else
            {
                throw new SchemaProjectorException($"Required field `{field.Name}` is missing from source schema: {source}");
            }
        }

        return projected;
    }

    private static List<object?> ProjectArray(Schema source, IList value, Schema target)
    {
        var projected = new List<object?>(value.Count);
        foreach (var item in value)
        {
            projected.Add(Project(source.ValueSchema!, item, target.ValueSchema!));
        }

        return projected;
    }

    private static Dictionary<object, object?> ProjectMap(Schema source, IDictionary value, Schema target)
    {
        var projected = new Dictionary<object, object?>(value.Count);
        foreach (DictionaryEntry entry in value)
        {
            projected[Project(source.KeySchema!, entry.Key, target.KeySchema!)!] = Project(source.ValueSchema!, entry.Value, target.ValueSchema!);
        }

        return projected;
    }

    private static object Promote(object value, SchemaType target) => target switch
    {
        SchemaType.Int16 => Convert.ToInt16(value, System.Globalization.CultureInfo.InvariantCulture),
        SchemaType.Int32 => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture),
        SchemaType.Int64 => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        SchemaType.Float32 => Convert.ToSingle(value, System.Globalization.CultureInfo.InvariantCulture),
        SchemaType.Float64 => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new SchemaProjectorException($"Not promotable type {value.GetType().Name} to {target.Name()}"),
    };

    private static void CheckMaybeCompatible(Schema source, Schema target)
    {
        if (source.Type != target.Type && !IsPromotable(source.Type, target.Type))
        {
            throw new SchemaProjectorException(
                $"Schema type mismatch. source type: {source.Type.Name().ToUpperInvariant()} and target type: {target.Type.Name().ToUpperInvariant()}");
        }

        if (source.Name != target.Name)
        {
            throw new SchemaProjectorException($"Schema name mismatch. source name: {source.Name} and target name: {target.Name}");
        }

        var sourceParameters = source.Parameters ?? new Dictionary<string, string>();
        var targetParameters = target.Parameters ?? new Dictionary<string, string>();
        if (sourceParameters.Count != targetParameters.Count ||
            sourceParameters.Any(p => !targetParameters.TryGetValue(p.Key, out var v) || v != p.Value))
        {
            throw new SchemaProjectorException(
                $"Schema parameters not equal. source parameters: {Show(sourceParameters)} and target parameters: {Show(targetParameters)}");
        }
    }

    private static string Show(IReadOnlyDictionary<string, string> parameters) =>
        "{" + string.Join(", ", parameters.Select(p => p.Key + "=" + p.Value)) + "}";

    private static bool IsPromotable(SchemaType source, SchemaType target) => (source, target) switch
    {
        (SchemaType.Int8, SchemaType.Int16 or SchemaType.Int32 or SchemaType.Int64 or SchemaType.Float32 or SchemaType.Float64) => true,
        (SchemaType.Int16, SchemaType.Int32 or SchemaType.Int64 or SchemaType.Float32 or SchemaType.Float64) => true,
        (SchemaType.Int32, SchemaType.Int64 or SchemaType.Float32 or SchemaType.Float64) => true,
        (SchemaType.Int64, SchemaType.Float32 or SchemaType.Float64) => true,
        (SchemaType.Float32, SchemaType.Float64) => true,
        _ => false,
    };
}

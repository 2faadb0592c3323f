namespace Tributary.Grains.SchemaRegistry.Json;

internal sealed partial class JsonSchemaDiff
{
    private void CompareStrings(JsonSchemaNode original, JsonSchemaNode update)
    {
        CompareLimit("maxLength", original.MaxLength, update.MaxLength,
            JsonDifferenceType.MaxLengthAdded, JsonDifferenceType.MaxLengthRemoved, JsonDifferenceType.MaxLengthIncreased, JsonDifferenceType.MaxLengthDecreased);
        CompareLimit("minLength", original.MinLength, update.MinLength,
            JsonDifferenceType.MinLengthAdded, JsonDifferenceType.MinLengthRemoved, JsonDifferenceType.MinLengthIncreased, JsonDifferenceType.MinLengthDecreased);
        if (original.Pattern is null && update.Pattern is not null)
        {
            Add("pattern", JsonDifferenceType.PatternAdded);
        }
        else if (original.Pattern is not null && update.Pattern is null)
        {
            Add("pattern", JsonDifferenceType.PatternRemoved);
        }
        else if (original.Pattern != update.Pattern)
        {
            Add("pattern", JsonDifferenceType.PatternChanged);
        }
    }

    private void CompareNumbers(JsonSchemaNode original, JsonSchemaNode update)
    {
        CompareLimit("maximum", original.Maximum, update.Maximum,
            JsonDifferenceType.MaximumAdded, JsonDifferenceType.MaximumRemoved, JsonDifferenceType.MaximumIncreased, JsonDifferenceType.MaximumDecreased);
        CompareLimit("minimum", original.Minimum, update.Minimum,
            JsonDifferenceType.MinimumAdded, JsonDifferenceType.MinimumRemoved, JsonDifferenceType.MinimumIncreased, JsonDifferenceType.MinimumDecreased);
        CompareLimit("exclusiveMaximum", original.ExclusiveMaximum, update.ExclusiveMaximum,
            JsonDifferenceType.ExclusiveMaximumAdded, JsonDifferenceType.ExclusiveMaximumRemoved,
            JsonDifferenceType.ExclusiveMaximumIncreased, JsonDifferenceType.ExclusiveMaximumDecreased);
        CompareLimit("exclusiveMinimum", original.ExclusiveMinimum, update.ExclusiveMinimum,
            JsonDifferenceType.ExclusiveMinimumAdded, JsonDifferenceType.ExclusiveMinimumRemoved,
            JsonDifferenceType.ExclusiveMinimumIncreased, JsonDifferenceType.ExclusiveMinimumDecreased);
        if (original.MultipleOf != update.MultipleOf)
        {
            Add("multipleOf", (original.MultipleOf, update.MultipleOf) switch
            {
                (null, _) => JsonDifferenceType.MultipleOfAdded,
                (_, null) => JsonDifferenceType.MultipleOfRemoved,
                // Multiples of 4 are multiples of 2: the update may be a multiple of the original, not the other way.
                ({ } o, { } u) when IsMultiple(u, o) => JsonDifferenceType.MultipleOfExpanded,
                ({ } o, { } u) when IsMultiple(o, u) => JsonDifferenceType.MultipleOfReduced,
                _ => JsonDifferenceType.MultipleOfChanged,
            });
        }

        if (original.RequiresInteger != update.RequiresInteger)
        {
            Add(original.RequiresInteger ? JsonDifferenceType.TypeExtended : JsonDifferenceType.TypeNarrowed);
        }
    }

    /// <summary>Whether <paramref name="value"/> is a whole multiple of <paramref name="of"/>, in decimal arithmetic where the numbers allow it (0.3 of 0.1).</summary>
    private static bool IsMultiple(double value, double of)
    {
        try
        {
            return (decimal)value % (decimal)of == 0;
        }
        catch (OverflowException)
        {
            return value % of == 0;
        }
    }

    /// <summary>A limit added, removed, raised or lowered, at the keyword's path.</summary>
    private void CompareLimit<T>(
        string keyword, T? original, T? update,
        JsonDifferenceType added, JsonDifferenceType removed, JsonDifferenceType increased, JsonDifferenceType decreased)
        where T : struct, IComparable<T>
    {
        if (original is null && update is null)
        {
            return;
        }

        if (original is null)
        {
            Add(keyword, added);
        }
        else if (update is null)
        {
            Add(keyword, removed);
        }
        else if (original.Value.CompareTo(update.Value) < 0)
        {
            Add(keyword, increased);
        }
        else if (original.Value.CompareTo(update.Value) > 0)
        {
            Add(keyword, decreased);
        }
    }
}

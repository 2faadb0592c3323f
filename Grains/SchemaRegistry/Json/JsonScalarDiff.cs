namespace Tributary.Grains.SchemaRegistry.Json;

/// <summary>Strings (length limits, pattern) and numbers (limits, multipleOf, integer or not).</summary>
internal static class JsonScalarDiff
{
    internal static void CompareStrings(JsonSchemaDiff diff, JsonSchemaNode original, JsonSchemaNode update)
    {
        diff.CompareLimit("maxLength", original.MaxLength, update.MaxLength,
            JsonDifferenceType.MaxLengthAdded, JsonDifferenceType.MaxLengthRemoved, JsonDifferenceType.MaxLengthIncreased, JsonDifferenceType.MaxLengthDecreased);
        diff.CompareLimit("minLength", original.MinLength, update.MinLength,
            JsonDifferenceType.MinLengthAdded, JsonDifferenceType.MinLengthRemoved, JsonDifferenceType.MinLengthIncreased, JsonDifferenceType.MinLengthDecreased);
        if (original.Pattern is null && update.Pattern is not null)
        {
            diff.Add("pattern", JsonDifferenceType.PatternAdded);
        }
        else if (original.Pattern is not null && update.Pattern is null)
        {
            diff.Add("pattern", JsonDifferenceType.PatternRemoved);
        }
        else if (original.Pattern != update.Pattern)
        {
            diff.Add("pattern", JsonDifferenceType.PatternChanged);
        }
    }

    internal static void CompareNumbers(JsonSchemaDiff diff, JsonSchemaNode original, JsonSchemaNode update)
    {
        diff.CompareLimit("maximum", original.Maximum, update.Maximum,
            JsonDifferenceType.MaximumAdded, JsonDifferenceType.MaximumRemoved, JsonDifferenceType.MaximumIncreased, JsonDifferenceType.MaximumDecreased);
        diff.CompareLimit("minimum", original.Minimum, update.Minimum,
            JsonDifferenceType.MinimumAdded, JsonDifferenceType.MinimumRemoved, JsonDifferenceType.MinimumIncreased, JsonDifferenceType.MinimumDecreased);
        diff.CompareLimit("exclusiveMaximum", original.ExclusiveMaximum, update.ExclusiveMaximum,
            JsonDifferenceType.ExclusiveMaximumAdded, JsonDifferenceType.ExclusiveMaximumRemoved,
            JsonDifferenceType.ExclusiveMaximumIncreased, JsonDifferenceType.ExclusiveMaximumDecreased);
        diff.CompareLimit("exclusiveMinimum", original.ExclusiveMinimum, update.ExclusiveMinimum,
            JsonDifferenceType.ExclusiveMinimumAdded, JsonDifferenceType.ExclusiveMinimumRemoved,
            JsonDifferenceType.ExclusiveMinimumIncreased, JsonDifferenceType.ExclusiveMinimumDecreased);
        if (original.MultipleOf != update.MultipleOf)
        {
            diff.Add("multipleOf", (original.MultipleOf, update.MultipleOf) switch
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
            diff.Add(original.RequiresInteger ? JsonDifferenceType.TypeExtended : JsonDifferenceType.TypeNarrowed);
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

}

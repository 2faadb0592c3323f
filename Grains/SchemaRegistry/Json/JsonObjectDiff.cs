namespace Tributary.Grains.SchemaRegistry.Json;

/// <summary>
/// Objects, by their content model: open (any other property allowed, with any value), closed
/// (<c>additionalProperties: false</c>), or partially open (other properties allowed if they match a pattern's or
/// <c>additionalProperties</c>' schema). A property may leave an open update, or join a closed original.
/// </summary>
internal static class JsonObjectDiff
{
    internal static void Compare(JsonSchemaDiff diff, JsonSchemaNode original, JsonSchemaNode update)
    {
        diff.In("required", () => CompareRequired(diff, original, update));
        diff.In("properties", () => CompareProperties(diff, original, update));
        diff.In("dependencies", () => CompareDependencies(diff, original, update));
        diff.In("additionalProperties", () => CompareAdditionalProperties(diff, original, update));
        diff.CompareLimit("maxProperties", original.MaxProperties, update.MaxProperties,
            JsonDifferenceType.MaxPropertiesAdded, JsonDifferenceType.MaxPropertiesRemoved,
            JsonDifferenceType.MaxPropertiesIncreased, JsonDifferenceType.MaxPropertiesDecreased);
        diff.CompareLimit("minProperties", original.MinProperties, update.MinProperties,
            JsonDifferenceType.MinPropertiesAdded, JsonDifferenceType.MinPropertiesRemoved,
            JsonDifferenceType.MinPropertiesIncreased, JsonDifferenceType.MinPropertiesDecreased);
    }

    private static void CompareRequired(JsonSchemaDiff diff, JsonSchemaNode original, JsonSchemaNode update)
    {
        foreach (var name in original.Properties.Keys.Where(update.Properties.ContainsKey))
        {
            var wasRequired = original.Required.Contains(name);
            var isRequired = update.Required.Contains(name);
            if (wasRequired && !isRequired)
            {
                diff.Add(name, JsonDifferenceType.RequiredAttributeRemoved);
            }
            else if (!wasRequired && isRequired)
            {
                diff.Add(name, update.Properties[name].HasDefault ? JsonDifferenceType.RequiredAttributeWithDefaultAdded : JsonDifferenceType.RequiredAttributeAdded);
            }
        }
    }

    private static void CompareProperties(JsonSchemaDiff diff, JsonSchemaNode original, JsonSchemaNode update)
    {
        foreach (var name in original.Properties.Keys.Union(update.Properties.Keys))
        {
            diff.In(name, () =>
            {
                var before = original.Properties.GetValueOrDefault(name);
                var after = update.Properties.GetValueOrDefault(name);
                if (after is null)
                {
                    PropertyRemoved(diff, before!, update, name);
                }
                else if (before is null)
                {
                    PropertyAdded(diff, original, update, after, name);
                }
                else
                {
                    diff.CompareSchemas(before, after);
                }
            });
        }
    }

    private static void PropertyRemoved(JsonSchemaDiff diff, JsonSchemaNode before, JsonSchemaNode update, string name)
    {
        // Only the update's content model matters: a property may go only where the update lets any property in.
        if (IsOpen(update))
        {
            diff.Add(JsonDifferenceType.PropertyRemovedFromOpenContentModel);
        }
        else if (PartiallyOpenSchema(update, name) is { } covering)
        {
            diff.CompareCovered(before, covering, JsonDifferenceType.PropertyRemovedIsCoveredByPartiallyOpenContentModel, JsonDifferenceType.PropertyRemovedNotCoveredByPartiallyOpenContentModel);
        }
        else
        {
            diff.Add(before.Kind == JsonSchemaKind.False
                ? JsonDifferenceType.PropertyWithFalseRemovedFromClosedContentModel
                : JsonDifferenceType.PropertyRemovedFromClosedContentModel);
        }
    }

    private static void PropertyAdded(JsonSchemaDiff diff, JsonSchemaNode original, JsonSchemaNode update, JsonSchemaNode after, string name)
    {
        // Only the original's content model matters: data written with an open model may hold the property with any value.
        if (IsOpen(original))
        {
            diff.Add(after.IsEmpty ? JsonDifferenceType.PropertyWithEmptySchemaAddedToOpenContentModel : JsonDifferenceType.PropertyAddedToOpenContentModel);
            return;
        }

        if (PartiallyOpenSchema(original, name) is { } covering)
        {
            diff.CompareCovered(covering, after, JsonDifferenceType.PropertyAddedIsCoveredByPartiallyOpenContentModel, JsonDifferenceType.PropertyAddedNotCoveredByPartiallyOpenContentModel);
        }

        if (update.Required.Contains(name))
        {
            diff.Add(after.HasDefault
                ? JsonDifferenceType.RequiredPropertyWithDefaultAddedToUnopenContentModel
                : JsonDifferenceType.RequiredPropertyAddedToUnopenContentModel);
        }
        else
        {
            diff.Add(JsonDifferenceType.OptionalPropertyAddedToUnopenContentModel);
        }
    }

    private static void CompareDependencies(JsonSchemaDiff diff, JsonSchemaNode original, JsonSchemaNode update)
    {
        foreach (var name in original.PropertyDependencies.Keys.Union(update.PropertyDependencies.Keys))
        {
            var before = original.PropertyDependencies.GetValueOrDefault(name);
            var after = update.PropertyDependencies.GetValueOrDefault(name);
            if (after is null)
            {
                diff.Add(name, JsonDifferenceType.DependencyArrayRemoved);
            }
            else if (before is null)
            {
                diff.Add(name, JsonDifferenceType.DependencyArrayAdded);
            }
            else if (!before.SetEquals(after))
            {
                diff.Add(name, after.IsSupersetOf(before) ? JsonDifferenceType.DependencyArrayExtended
                    : before.IsSupersetOf(after) ? JsonDifferenceType.DependencyArrayNarrowed
                    : JsonDifferenceType.DependencyArrayChanged);
            }
        }

        foreach (var name in original.SchemaDependencies.Keys.Union(update.SchemaDependencies.Keys))
        {
            var before = original.SchemaDependencies.GetValueOrDefault(name);
            var after = update.SchemaDependencies.GetValueOrDefault(name);
            if (after is null)
            {
                diff.Add(name, JsonDifferenceType.DependencySchemaRemoved);
            }
            else if (before is null)
            {
                diff.Add(name, JsonDifferenceType.DependencySchemaAdded);
            }
            else
            {
                diff.In(name, () => diff.CompareSchemas(before, after));
            }
        }
    }

    private static void CompareAdditionalProperties(JsonSchemaDiff diff, JsonSchemaNode original, JsonSchemaNode update) =>
        diff.CompareAdditional(
            original.PermitsAdditionalProperties, original.AdditionalPropertiesSchema, update.PermitsAdditionalProperties, update.AdditionalPropertiesSchema,
            JsonDifferenceType.AdditionalPropertiesAdded, JsonDifferenceType.AdditionalPropertiesRemoved,
            JsonDifferenceType.AdditionalPropertiesExtended, JsonDifferenceType.AdditionalPropertiesNarrowed);

    private static bool IsOpen(JsonSchemaNode schema) =>
        schema.PatternProperties.Count == 0 && schema.AdditionalPropertiesSchema is null && schema.PermitsAdditionalProperties;

    /// <summary>The schema a property not declared must match: the first pattern that finds the name, else additionalProperties'.</summary>
    private static JsonSchemaNode? PartiallyOpenSchema(JsonSchemaNode schema, string name) =>
        schema.PatternProperties.FirstOrDefault(p => Matches(p.Pattern, name)).Schema ?? schema.AdditionalPropertiesSchema;

    /// <summary>Whether a pattern finds the name; a pattern too slow to answer does not.</summary>
    private static bool Matches(System.Text.RegularExpressions.Regex pattern, string name)
    {
        try
        {
            return pattern.IsMatch(name);
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            return false;
        }
    }
}

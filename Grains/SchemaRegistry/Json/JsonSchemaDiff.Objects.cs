namespace Tributary.Grains.SchemaRegistry.Json;

/// <summary>
/// Objects, by their content model: open (any other property allowed, with any value), closed
/// (<c>additionalProperties: false</c>), or partially open (other properties allowed if they match a pattern's or
/// <c>additionalProperties</c>' schema). A property may leave an open update, or join a closed original.
/// </summary>
internal sealed partial class JsonSchemaDiff
{
    private void CompareObjects(JsonSchemaNode original, JsonSchemaNode update)
    {
        In("required", () => CompareRequired(original, update));
        In("properties", () => CompareProperties(original, update));
        In("dependencies", () => CompareDependencies(original, update));
        In("additionalProperties", () => CompareAdditionalProperties(original, update));
        CompareLimit("maxProperties", original.MaxProperties, update.MaxProperties,
            JsonDifferenceType.MaxPropertiesAdded, JsonDifferenceType.MaxPropertiesRemoved,
            JsonDifferenceType.MaxPropertiesIncreased, JsonDifferenceType.MaxPropertiesDecreased);
        CompareLimit("minProperties", original.MinProperties, update.MinProperties,
            JsonDifferenceType.MinPropertiesAdded, JsonDifferenceType.MinPropertiesRemoved,
            JsonDifferenceType.MinPropertiesIncreased, JsonDifferenceType.MinPropertiesDecreased);
    }

    private void CompareRequired(JsonSchemaNode original, JsonSchemaNode update)
    {
        foreach (var name in original.Properties.Keys.Where(update.Properties.ContainsKey))
        {
            var wasRequired = original.Required.Contains(name);
            var isRequired = update.Required.Contains(name);
            if (wasRequired && !isRequired)
            {
                Add(name, JsonDifferenceType.RequiredAttributeRemoved);
            }
            else if (!wasRequired && isRequired)
            {
                Add(name, update.Properties[name].HasDefault ? JsonDifferenceType.RequiredAttributeWithDefaultAdded : JsonDifferenceType.RequiredAttributeAdded);
            }
        }
    }

    private void CompareProperties(JsonSchemaNode original, JsonSchemaNode update)
    {
        foreach (var name in original.Properties.Keys.Union(update.Properties.Keys))
        {
            In(name, () =>
            {
                var before = original.Properties.GetValueOrDefault(name);
                var after = update.Properties.GetValueOrDefault(name);
                if (after is null)
                {
                    PropertyRemoved(before!, update, name);
                }
                else if (before is null)
                {
                    PropertyAdded(original, update, after, name);
                }
                else
                {
                    CompareSchemas(before, after);
                }
            });
        }
    }

    private void PropertyRemoved(JsonSchemaNode before, JsonSchemaNode update, string name)
    {
        // Only the update's content model matters: a property may go only where the update lets any property in.
        if (IsOpen(update))
        {
            Add(JsonDifferenceType.PropertyRemovedFromOpenContentModel);
        }
        else if (PartiallyOpenSchema(update, name) is { } covering)
        {
            var sub = Sub();
            sub.CompareSchemas(before, covering);
            Keep(sub.Differences);
            Add(sub.IsCompatible
                ? JsonDifferenceType.PropertyRemovedIsCoveredByPartiallyOpenContentModel
                : JsonDifferenceType.PropertyRemovedNotCoveredByPartiallyOpenContentModel);
        }
        else
        {
            Add(before.Kind == JsonSchemaKind.False
                ? JsonDifferenceType.PropertyWithFalseRemovedFromClosedContentModel
                : JsonDifferenceType.PropertyRemovedFromClosedContentModel);
        }
    }

    private void PropertyAdded(JsonSchemaNode original, JsonSchemaNode update, JsonSchemaNode after, string name)
    {
        // Only the original's content model matters: data written with an open model may hold the property with any value.
        if (IsOpen(original))
        {
            Add(after.IsEmpty ? JsonDifferenceType.PropertyWithEmptySchemaAddedToOpenContentModel : JsonDifferenceType.PropertyAddedToOpenContentModel);
            return;
        }

        if (PartiallyOpenSchema(original, name) is { } covering)
        {
            var sub = Sub();
            sub.CompareSchemas(covering, after);
            Keep(sub.Differences);
            Add(sub.IsCompatible
                ? JsonDifferenceType.PropertyAddedIsCoveredByPartiallyOpenContentModel
                : JsonDifferenceType.PropertyAddedNotCoveredByPartiallyOpenContentModel);
        }

        if (update.Required.Contains(name))
        {
            Add(after.HasDefault
                ? JsonDifferenceType.RequiredPropertyWithDefaultAddedToUnopenContentModel
                : JsonDifferenceType.RequiredPropertyAddedToUnopenContentModel);
        }
        else
        {
            Add(JsonDifferenceType.OptionalPropertyAddedToUnopenContentModel);
        }
    }

    private void CompareDependencies(JsonSchemaNode original, JsonSchemaNode update)
    {
        foreach (var name in original.PropertyDependencies.Keys.Union(update.PropertyDependencies.Keys))
        {
            var before = original.PropertyDependencies.GetValueOrDefault(name);
            var after = update.PropertyDependencies.GetValueOrDefault(name);
            if (after is null)
            {
                Add(name, JsonDifferenceType.DependencyArrayRemoved);
            }
            else if (before is null)
            {
                Add(name, JsonDifferenceType.DependencyArrayAdded);
            }
            else if (!before.SetEquals(after))
            {
                Add(name, after.IsSupersetOf(before) ? JsonDifferenceType.DependencyArrayExtended
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
                Add(name, JsonDifferenceType.DependencySchemaRemoved);
            }
            else if (before is null)
            {
                Add(name, JsonDifferenceType.DependencySchemaAdded);
            }
            else
            {
                In(name, () => CompareSchemas(before, after));
            }
        }
    }

    private void CompareAdditionalProperties(JsonSchemaNode original, JsonSchemaNode update) =>
        CompareAdditional(
            original.PermitsAdditionalProperties, original.AdditionalPropertiesSchema, update.PermitsAdditionalProperties, update.AdditionalPropertiesSchema,
            JsonDifferenceType.AdditionalPropertiesAdded, JsonDifferenceType.AdditionalPropertiesRemoved,
            JsonDifferenceType.AdditionalPropertiesExtended, JsonDifferenceType.AdditionalPropertiesNarrowed);

    /// <summary>
    /// What a content model lets in beyond what it declares (additionalProperties, additionalItems): allowed at all
    /// (added, removed), then without or with a schema (extended, narrowed), then the two schemas compared.
    /// </summary>
    private void CompareAdditional(
        bool permittedBefore, JsonSchemaNode? schemaBefore, bool permittedAfter, JsonSchemaNode? schemaAfter,
        JsonDifferenceType added, JsonDifferenceType removed, JsonDifferenceType extended, JsonDifferenceType narrowed)
    {
        if (permittedBefore != permittedAfter)
        {
            Add(permittedAfter ? added : removed);
        }
        else if (schemaBefore is null && schemaAfter is not null)
        {
            Add(narrowed);
        }
        else if (schemaBefore is not null && schemaAfter is null)
        {
            Add(extended);
        }
        else
        {
            CompareSchemas(schemaBefore, schemaAfter);
        }
    }

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

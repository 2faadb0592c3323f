namespace Tributary.Grains.SchemaRegistry.Json;

/// <summary>
/// Arrays: the schema of all items, tuples item by item under the array's content model (additionalItems, or
/// unevaluatedItems without it), and the size and uniqueness limits.
/// </summary>
internal static class JsonArrayDiff
{
    internal static void Compare(JsonSchemaDiff diff, JsonSchemaNode original, JsonSchemaNode update)
    {
        diff.In("items", () => diff.CompareSchemas(original.AllItemSchema, update.AllItemSchema));
        CompareTuples(diff, original, update);
        diff.In("additionalItems", () => CompareAdditionalItems(diff, original, update));
        CompareUnevaluatedItems(diff, original, update);
        diff.CompareLimit("maxItems", original.MaxItems, update.MaxItems,
            JsonDifferenceType.MaxItemsAdded, JsonDifferenceType.MaxItemsRemoved, JsonDifferenceType.MaxItemsIncreased, JsonDifferenceType.MaxItemsDecreased);
        diff.CompareLimit("minItems", original.MinItems, update.MinItems,
            JsonDifferenceType.MinItemsAdded, JsonDifferenceType.MinItemsRemoved, JsonDifferenceType.MinItemsIncreased, JsonDifferenceType.MinItemsDecreased);
        if (original.UniqueItems != update.UniqueItems)
        {
            diff.Add("uniqueItems", original.UniqueItems ? JsonDifferenceType.UniqueItemsRemoved : JsonDifferenceType.UniqueItemsAdded);
        }

        diff.CompareLimit("maxContains", original.MaxContains, update.MaxContains,
            JsonDifferenceType.MaxContainsAdded, JsonDifferenceType.MaxContainsRemoved, JsonDifferenceType.MaxContainsIncreased, JsonDifferenceType.MaxContainsDecreased);
        diff.CompareLimit("minContains", original.MinContains, update.MinContains,
            JsonDifferenceType.MinContainsAdded, JsonDifferenceType.MinContainsRemoved, JsonDifferenceType.MinContainsIncreased, JsonDifferenceType.MinContainsDecreased);
    }

    private static void CompareTuples(JsonSchemaDiff diff, JsonSchemaNode original, JsonSchemaNode update)
    {
        var common = Math.Min(original.ItemSchemas.Count, update.ItemSchemas.Count);
        for (var i = 0; i < common; i++)
        {
            diff.In($"items/{i}", () => diff.CompareSchemas(original.ItemSchemas[i], update.ItemSchemas[i]));
        }

        for (var i = common; i < original.ItemSchemas.Count; i++)
        {
            var before = original.ItemSchemas[i];
            diff.In($"items/{i}", () =>
            {
                if (IsOpenArray(update))
                {
                    diff.Add(JsonDifferenceType.ItemRemovedFromOpenContentModel);
                }
                else if (PartiallyOpenItems(update) is { } covering)
                {
                    diff.CompareCovered(before, covering, JsonDifferenceType.ItemRemovedIsCoveredByPartiallyOpenContentModel, JsonDifferenceType.ItemRemovedNotCoveredByPartiallyOpenContentModel);
                }
                else
                {
                    diff.Add(before.Kind == JsonSchemaKind.False
                        ? JsonDifferenceType.ItemWithFalseRemovedFromClosedContentModel
                        : JsonDifferenceType.ItemRemovedFromClosedContentModel);
                }
            });
        }

        for (var i = common; i < update.ItemSchemas.Count; i++)
        {
            var after = update.ItemSchemas[i];
            diff.In($"items/{i}", () =>
            {
                if (IsOpenArray(original))
                {
                    diff.Add(after.IsEmpty ? JsonDifferenceType.ItemWithEmptySchemaAddedToOpenContentModel : JsonDifferenceType.ItemAddedToOpenContentModel);
                }
                else if (PartiallyOpenItems(original) is { } covering)
                {
                    diff.CompareCovered(covering, after, JsonDifferenceType.ItemAddedIsCoveredByPartiallyOpenContentModel, JsonDifferenceType.ItemAddedNotCoveredByPartiallyOpenContentModel);
                }
                else
                {
                    diff.Add(JsonDifferenceType.ItemAddedToClosedContentModel);
                }
            });
        }
    }

    private static void CompareAdditionalItems(JsonSchemaDiff diff, JsonSchemaNode original, JsonSchemaNode update) =>
        diff.CompareAdditional(
            original.PermitsAdditionalItems, original.AdditionalItemsSchema, update.PermitsAdditionalItems, update.AdditionalItemsSchema,
            JsonDifferenceType.AdditionalItemsAdded, JsonDifferenceType.AdditionalItemsRemoved,
            JsonDifferenceType.AdditionalItemsExtended, JsonDifferenceType.AdditionalItemsNarrowed);

    private static void CompareUnevaluatedItems(JsonSchemaDiff diff, JsonSchemaNode original, JsonSchemaNode update)
    {
        var before = original.UnevaluatedItems;
        var after = update.UnevaluatedItems;
        if (before is null && after is null)
        {
            return;
        }

        diff.In("unevaluatedItems", () =>
        {
            var beforeFalse = before?.Kind == JsonSchemaKind.False;
            var afterFalse = after?.Kind == JsonSchemaKind.False;
            if (before is null)
            {
                diff.Add(afterFalse ? JsonDifferenceType.UnevaluatedItemsRemoved : JsonDifferenceType.UnevaluatedItemsNarrowed);
            }
            else if (after is null)
            {
                diff.Add(beforeFalse ? JsonDifferenceType.UnevaluatedItemsAdded : JsonDifferenceType.UnevaluatedItemsExtended);
            }
            else if (beforeFalse && !afterFalse)
            {
                diff.Add(JsonDifferenceType.UnevaluatedItemsAdded);
            }
            else if (!beforeFalse && afterFalse)
            {
                diff.Add(JsonDifferenceType.UnevaluatedItemsRemoved);
            }
            else if (before.IsEmpty && !after.IsEmpty)
            {
                diff.Add(JsonDifferenceType.UnevaluatedItemsNarrowed);
            }
            else if (!before.IsEmpty && after.IsEmpty)
            {
                diff.Add(JsonDifferenceType.UnevaluatedItemsExtended);
            }
            else
            {
                diff.CompareSchemas(before, after);
            }
        });
    }

    /// <summary>Any item after the tuple allowed, with any value: additionalItems true or absent, and unevaluatedItems absent or empty.</summary>
    private static bool IsOpenArray(JsonSchemaNode schema) =>
        schema.PermitsAdditionalItems && schema.AdditionalItemsSchema is null && (schema.UnevaluatedItems is null || schema.UnevaluatedItems.IsEmpty);

    private static JsonSchemaNode? PartiallyOpenItems(JsonSchemaNode schema) =>
        schema.AdditionalItemsSchema
        ?? (schema.PermitsAdditionalItems && schema.UnevaluatedItems is { Kind: not JsonSchemaKind.False } unevaluated && !unevaluated.IsEmpty ? unevaluated : null);
}

namespace Tributary.Grains.SchemaRegistry.Json;

/// <summary>
/// Arrays: the schema of all items, tuples item by item under the array's content model (additionalItems, or
/// unevaluatedItems without it), and the size and uniqueness limits.
/// </summary>
internal sealed partial class JsonSchemaDiff
{
    private void CompareArrays(JsonSchemaNode original, JsonSchemaNode update)
    {
        In("items", () => CompareSchemas(original.AllItemSchema, update.AllItemSchema));
        CompareTuples(original, update);
        In("additionalItems", () => CompareAdditionalItems(original, update));
        CompareUnevaluatedItems(original, update);
        CompareLimit("maxItems", original.MaxItems, update.MaxItems,
            JsonDifferenceType.MaxItemsAdded, JsonDifferenceType.MaxItemsRemoved, JsonDifferenceType.MaxItemsIncreased, JsonDifferenceType.MaxItemsDecreased);
        CompareLimit("minItems", original.MinItems, update.MinItems,
            JsonDifferenceType.MinItemsAdded, JsonDifferenceType.MinItemsRemoved, JsonDifferenceType.MinItemsIncreased, JsonDifferenceType.MinItemsDecreased);
        if (original.UniqueItems != update.UniqueItems)
        {
            Add("uniqueItems", original.UniqueItems ? JsonDifferenceType.UniqueItemsRemoved : JsonDifferenceType.UniqueItemsAdded);
        }

        CompareLimit("maxContains", original.MaxContains, update.MaxContains,
            JsonDifferenceType.MaxContainsAdded, JsonDifferenceType.MaxContainsRemoved, JsonDifferenceType.MaxContainsIncreased, JsonDifferenceType.MaxContainsDecreased);
        CompareLimit("minContains", original.MinContains, update.MinContains,
            JsonDifferenceType.MinContainsAdded, JsonDifferenceType.MinContainsRemoved, JsonDifferenceType.MinContainsIncreased, JsonDifferenceType.MinContainsDecreased);
    }

    private void CompareTuples(JsonSchemaNode original, JsonSchemaNode update)
    {
        var common = Math.Min(original.ItemSchemas.Count, update.ItemSchemas.Count);
        for (var i = 0; i < common; i++)
        {
            In($"items/{i}", () => CompareSchemas(original.ItemSchemas[i], update.ItemSchemas[i]));
        }

        for (var i = common; i < original.ItemSchemas.Count; i++)
        {
            var before = original.ItemSchemas[i];
            In($"items/{i}", () =>
            {
                if (IsOpenArray(update))
                {
                    Add(JsonDifferenceType.ItemRemovedFromOpenContentModel);
                }
                else if (PartiallyOpenItems(update) is { } covering)
                {
                    var sub = Sub();
                    sub.CompareSchemas(before, covering);
                    Keep(sub.Differences);
                    Add(sub.IsCompatible
                        ? JsonDifferenceType.ItemRemovedIsCoveredByPartiallyOpenContentModel
                        : JsonDifferenceType.ItemRemovedNotCoveredByPartiallyOpenContentModel);
                }
                else
                {
                    Add(before.Kind == JsonSchemaKind.False
                        ? JsonDifferenceType.ItemWithFalseRemovedFromClosedContentModel
                        : JsonDifferenceType.ItemRemovedFromClosedContentModel);
                }
            });
        }

        for (var i = common; i < update.ItemSchemas.Count; i++)
        {
            var after = update.ItemSchemas[i];
            In($"items/{i}", () =>
            {
                if (IsOpenArray(original))
                {
                    Add(after.IsEmpty ? JsonDifferenceType.ItemWithEmptySchemaAddedToOpenContentModel : JsonDifferenceType.ItemAddedToOpenContentModel);
                }
                else if (PartiallyOpenItems(original) is { } covering)
                {
                    var sub = Sub();
                    sub.CompareSchemas(covering, after);
                    Keep(sub.Differences);
                    Add(sub.IsCompatible
                        ? JsonDifferenceType.ItemAddedIsCoveredByPartiallyOpenContentModel
                        : JsonDifferenceType.ItemAddedNotCoveredByPartiallyOpenContentModel);
                }
                else
                {
                    Add(JsonDifferenceType.ItemAddedToClosedContentModel);
                }
            });
        }
    }

    private void CompareAdditionalItems(JsonSchemaNode original, JsonSchemaNode update) =>
        CompareAdditional(
            original.PermitsAdditionalItems, original.AdditionalItemsSchema, update.PermitsAdditionalItems, update.AdditionalItemsSchema,
            JsonDifferenceType.AdditionalItemsAdded, JsonDifferenceType.AdditionalItemsRemoved,
            JsonDifferenceType.AdditionalItemsExtended, JsonDifferenceType.AdditionalItemsNarrowed);

    private void CompareUnevaluatedItems(JsonSchemaNode original, JsonSchemaNode update)
    {
        var before = original.UnevaluatedItems;
        var after = update.UnevaluatedItems;
        if (before is null && after is null)
        {
            return;
        }

        In("unevaluatedItems", () =>
        {
            var beforeFalse = before?.Kind == JsonSchemaKind.False;
            var afterFalse = after?.Kind == JsonSchemaKind.False;
            if (before is null)
            {
                Add(afterFalse ? JsonDifferenceType.UnevaluatedItemsRemoved : JsonDifferenceType.UnevaluatedItemsNarrowed);
            }
            else if (after is null)
            {
                Add(beforeFalse ? JsonDifferenceType.UnevaluatedItemsAdded : JsonDifferenceType.UnevaluatedItemsExtended);
            }
            else if (beforeFalse && !afterFalse)
            {
                Add(JsonDifferenceType.UnevaluatedItemsAdded);
            }
            else if (!beforeFalse && afterFalse)
            {
                Add(JsonDifferenceType.UnevaluatedItemsRemoved);
            }
            else if (before.IsEmpty && !after.IsEmpty)
            {
                Add(JsonDifferenceType.UnevaluatedItemsNarrowed);
            }
            else if (!before.IsEmpty && after.IsEmpty)
            {
                Add(JsonDifferenceType.UnevaluatedItemsExtended);
            }
            else
            {
                CompareSchemas(before, after);
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

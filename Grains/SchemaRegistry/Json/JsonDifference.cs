using System.Text;

namespace Tributary.Grains.SchemaRegistry.Json;

/// <summary>The changes between two JSON schemas that Confluent's JSON Schema compatibility rules name (its <c>Difference.Type</c>).</summary>
internal enum JsonDifferenceType
{
    IdChanged, DescriptionChanged, TitleChanged, DefaultChanged,
    SchemaAdded, SchemaRemoved, TypeExtended, TypeNarrowed, TypeChanged,

    MaxLengthAdded, MaxLengthRemoved, MaxLengthIncreased, MaxLengthDecreased,
    MinLengthAdded, MinLengthRemoved, MinLengthIncreased, MinLengthDecreased,
    PatternAdded, PatternRemoved, PatternChanged,

    MaximumAdded, MaximumRemoved, MaximumIncreased, MaximumDecreased,
    MinimumAdded, MinimumRemoved, MinimumIncreased, MinimumDecreased,
    ExclusiveMaximumAdded, ExclusiveMaximumRemoved, ExclusiveMaximumIncreased, ExclusiveMaximumDecreased,
    ExclusiveMinimumAdded, ExclusiveMinimumRemoved, ExclusiveMinimumIncreased, ExclusiveMinimumDecreased,
    MultipleOfAdded, MultipleOfRemoved, MultipleOfExpanded, MultipleOfReduced, MultipleOfChanged,

    RequiredAttributeAdded, RequiredAttributeWithDefaultAdded, RequiredAttributeRemoved,
    MaxPropertiesAdded, MaxPropertiesRemoved, MaxPropertiesIncreased, MaxPropertiesDecreased,
    MinPropertiesAdded, MinPropertiesRemoved, MinPropertiesIncreased, MinPropertiesDecreased,
    AdditionalPropertiesAdded, AdditionalPropertiesRemoved, AdditionalPropertiesExtended, AdditionalPropertiesNarrowed,
    DependencyArrayAdded, DependencyArrayRemoved, DependencyArrayExtended, DependencyArrayNarrowed, DependencyArrayChanged,
    DependencySchemaAdded, DependencySchemaRemoved,
    PropertyAddedToOpenContentModel,
    PropertyWithEmptySchemaAddedToOpenContentModel,
    RequiredPropertyAddedToUnopenContentModel,
    RequiredPropertyWithDefaultAddedToUnopenContentModel,
    OptionalPropertyAddedToUnopenContentModel,
    PropertyRemovedFromOpenContentModel,
    PropertyWithFalseRemovedFromClosedContentModel,
    PropertyRemovedFromClosedContentModel,
    PropertyRemovedIsCoveredByPartiallyOpenContentModel,
    PropertyRemovedNotCoveredByPartiallyOpenContentModel,
    PropertyAddedIsCoveredByPartiallyOpenContentModel,
    PropertyAddedNotCoveredByPartiallyOpenContentModel,

    MaxItemsAdded, MaxItemsRemoved, MaxItemsIncreased, MaxItemsDecreased,
    MinItemsAdded, MinItemsRemoved, MinItemsIncreased, MinItemsDecreased,
    MaxContainsAdded, MaxContainsRemoved, MaxContainsIncreased, MaxContainsDecreased,
    MinContainsAdded, MinContainsRemoved, MinContainsIncreased, MinContainsDecreased,
    UniqueItemsAdded, UniqueItemsRemoved,
    AdditionalItemsAdded, AdditionalItemsRemoved, AdditionalItemsExtended, AdditionalItemsNarrowed,
    UnevaluatedItemsAdded, UnevaluatedItemsRemoved, UnevaluatedItemsExtended, UnevaluatedItemsNarrowed,
    ItemAddedToOpenContentModel,
    ItemWithEmptySchemaAddedToOpenContentModel,
    ItemAddedToClosedContentModel,
    ItemRemovedFromOpenContentModel,
    ItemWithFalseRemovedFromClosedContentModel,
    ItemRemovedFromClosedContentModel,
    ItemRemovedIsCoveredByPartiallyOpenContentModel,
    ItemRemovedNotCoveredByPartiallyOpenContentModel,
    ItemAddedIsCoveredByPartiallyOpenContentModel,
    ItemAddedNotCoveredByPartiallyOpenContentModel,

    EnumArrayExtended, EnumArrayNarrowed, EnumArrayChanged,

    CombinedTypeExtended, CombinedTypeChanged,
    ProductTypeExtended, ProductTypeNarrowed, SumTypeExtended, SumTypeNarrowed, CombinedTypeSubschemasChanged,
    NotTypeExtended, NotTypeNarrowed,
}

/// <summary>One change at a path of the schema (<c>#/properties/name</c>), with Confluent's name and wording for it.</summary>
internal sealed record JsonDifference(JsonDifferenceType Type, string Path)
{
    /// <summary>The changes that keep data written with the original schema readable with the update (Confluent's <c>COMPATIBLE_CHANGES</c>).</summary>
    public static IReadOnlySet<JsonDifferenceType> Compatible { get; } = new HashSet<JsonDifferenceType>
    {
        JsonDifferenceType.IdChanged, JsonDifferenceType.DescriptionChanged, JsonDifferenceType.TitleChanged, JsonDifferenceType.DefaultChanged,
        JsonDifferenceType.SchemaRemoved, JsonDifferenceType.TypeExtended,
        JsonDifferenceType.MaxLengthIncreased, JsonDifferenceType.MaxLengthRemoved, JsonDifferenceType.MinLengthDecreased, JsonDifferenceType.MinLengthRemoved,
        JsonDifferenceType.PatternRemoved,
        JsonDifferenceType.MaximumIncreased, JsonDifferenceType.MaximumRemoved, JsonDifferenceType.MinimumDecreased, JsonDifferenceType.MinimumRemoved,
        JsonDifferenceType.ExclusiveMaximumIncreased, JsonDifferenceType.ExclusiveMaximumRemoved,
        JsonDifferenceType.ExclusiveMinimumDecreased, JsonDifferenceType.ExclusiveMinimumRemoved,
        JsonDifferenceType.MultipleOfReduced, JsonDifferenceType.MultipleOfRemoved,
        JsonDifferenceType.RequiredAttributeWithDefaultAdded, JsonDifferenceType.RequiredAttributeRemoved,
        JsonDifferenceType.DependencyArrayNarrowed, JsonDifferenceType.DependencyArrayRemoved, JsonDifferenceType.DependencySchemaRemoved,
        JsonDifferenceType.MaxPropertiesIncreased, JsonDifferenceType.MaxPropertiesRemoved,
        JsonDifferenceType.MinPropertiesDecreased, JsonDifferenceType.MinPropertiesRemoved,
        JsonDifferenceType.AdditionalPropertiesAdded, JsonDifferenceType.AdditionalPropertiesExtended,
        JsonDifferenceType.PropertyWithEmptySchemaAddedToOpenContentModel,
        JsonDifferenceType.RequiredPropertyWithDefaultAddedToUnopenContentModel,
        JsonDifferenceType.OptionalPropertyAddedToUnopenContentModel,
        JsonDifferenceType.PropertyWithFalseRemovedFromClosedContentModel,
        JsonDifferenceType.PropertyRemovedFromOpenContentModel,
        JsonDifferenceType.PropertyAddedIsCoveredByPartiallyOpenContentModel,
        JsonDifferenceType.PropertyRemovedIsCoveredByPartiallyOpenContentModel,
        JsonDifferenceType.MaxItemsIncreased, JsonDifferenceType.MaxItemsRemoved, JsonDifferenceType.MinItemsDecreased, JsonDifferenceType.MinItemsRemoved,
        JsonDifferenceType.MaxContainsIncreased, JsonDifferenceType.MaxContainsRemoved, JsonDifferenceType.MinContainsDecreased, JsonDifferenceType.MinContainsRemoved,
        JsonDifferenceType.UnevaluatedItemsAdded, JsonDifferenceType.UnevaluatedItemsExtended,
        JsonDifferenceType.UniqueItemsRemoved, JsonDifferenceType.AdditionalItemsAdded, JsonDifferenceType.AdditionalItemsExtended,
        JsonDifferenceType.ItemWithEmptySchemaAddedToOpenContentModel, JsonDifferenceType.ItemAddedToClosedContentModel,
        JsonDifferenceType.ItemWithFalseRemovedFromClosedContentModel, JsonDifferenceType.ItemRemovedFromOpenContentModel,
        JsonDifferenceType.ItemAddedIsCoveredByPartiallyOpenContentModel, JsonDifferenceType.ItemRemovedIsCoveredByPartiallyOpenContentModel,
        JsonDifferenceType.EnumArrayExtended,
        JsonDifferenceType.CombinedTypeExtended, JsonDifferenceType.ProductTypeNarrowed, JsonDifferenceType.SumTypeExtended, JsonDifferenceType.NotTypeNarrowed,
    };

    private static readonly HashSet<JsonDifferenceType> KeywordAddedOrRemoved =
    [
        JsonDifferenceType.MaximumAdded, JsonDifferenceType.MinimumAdded, JsonDifferenceType.ExclusiveMaximumAdded, JsonDifferenceType.ExclusiveMinimumAdded,
        JsonDifferenceType.MultipleOfAdded, JsonDifferenceType.MaxLengthAdded, JsonDifferenceType.MinLengthAdded, JsonDifferenceType.PatternAdded,
        JsonDifferenceType.RequiredAttributeAdded, JsonDifferenceType.MaxPropertiesAdded, JsonDifferenceType.MinPropertiesAdded,
        JsonDifferenceType.DependencyArrayAdded, JsonDifferenceType.DependencySchemaAdded, JsonDifferenceType.MaxItemsAdded, JsonDifferenceType.MinItemsAdded,
        JsonDifferenceType.MaxContainsAdded, JsonDifferenceType.MinContainsAdded, JsonDifferenceType.UniqueItemsAdded,
        JsonDifferenceType.AdditionalItemsRemoved, JsonDifferenceType.AdditionalPropertiesRemoved, JsonDifferenceType.UnevaluatedItemsRemoved,
    ];

    private static readonly HashSet<JsonDifferenceType> ValueIncreased =
    [
        JsonDifferenceType.MinLengthIncreased, JsonDifferenceType.MinimumIncreased, JsonDifferenceType.ExclusiveMinimumIncreased,
        JsonDifferenceType.MinPropertiesIncreased, JsonDifferenceType.MultipleOfExpanded, JsonDifferenceType.MinItemsIncreased, JsonDifferenceType.MinContainsIncreased,
    ];

    private static readonly HashSet<JsonDifferenceType> ValueDecreased =
    [
        JsonDifferenceType.MaxLengthDecreased, JsonDifferenceType.MaximumDecreased, JsonDifferenceType.MaxItemsDecreased, JsonDifferenceType.MaxContainsDecreased,
        JsonDifferenceType.ExclusiveMaximumDecreased, JsonDifferenceType.MaxPropertiesDecreased,
    ];

    private static readonly HashSet<JsonDifferenceType> Narrowed =
    [
        JsonDifferenceType.AdditionalItemsNarrowed, JsonDifferenceType.EnumArrayNarrowed, JsonDifferenceType.SumTypeNarrowed,
        JsonDifferenceType.AdditionalPropertiesNarrowed, JsonDifferenceType.UnevaluatedItemsNarrowed,
    ];

    private static readonly HashSet<JsonDifferenceType> ValueChanged =
        [JsonDifferenceType.PatternChanged, JsonDifferenceType.MultipleOfChanged, JsonDifferenceType.DependencyArrayChanged];

    private static readonly HashSet<JsonDifferenceType> TypeChanged =
    [
        JsonDifferenceType.TypeChanged, JsonDifferenceType.TypeNarrowed, JsonDifferenceType.CombinedTypeChanged,
        JsonDifferenceType.CombinedTypeSubschemasChanged, JsonDifferenceType.EnumArrayChanged,
    ];

    private static readonly HashSet<JsonDifferenceType> Extended =
        [JsonDifferenceType.DependencyArrayExtended, JsonDifferenceType.ProductTypeExtended, JsonDifferenceType.SumTypeExtended, JsonDifferenceType.NotTypeExtended];

    public bool IsCompatible => Compatible.Contains(Type);

    /// <summary>Confluent's name of the change: <c>PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL</c>.</summary>
    public string TypeName
    {
        get
        {
            var name = Type.ToString();
            var builder = new StringBuilder(name.Length + 8);
            for (var i = 0; i < name.Length; i++)
            {
                if (i > 0 && char.IsUpper(name[i]))
                {
                    builder.Append('_');
                }

                builder.Append(char.ToUpperInvariant(name[i]));
            }

            return builder.ToString();
        }
    }

    /// <summary>
    /// The message Confluent's registry gives for an incompatible change, with the schemas named as the check sees
    /// them: <paramref name="update"/> is the reader's label (the new schema when checking backward), <paramref name="original"/> the writer's.
    /// Word for word Confluent's, down to the quote that closes the description.
    /// </summary>
    public string Message(string update, string original) =>
        $"{{errorType:\"{TypeName}\", description:\"{Description(update, original)}'}}";

    private string Description(string update, string original)
    {
        if (KeywordAddedOrRemoved.Contains(Type))
        {
            return $"The keyword at path '{Path}' in the {update} schema is not present in the {original} schema";
        }

        if (ValueIncreased.Contains(Type))
        {
            return $"The value at path '{Path}' in the {update} schema is more than its value in the {original} schema";
        }

        if (ValueDecreased.Contains(Type))
        {
            return $"The value at path '{Path}' in the {update} schema is less than its value in the {original} schema";
        }

        if (ValueChanged.Contains(Type))
        {
            return $"The value at path '{Path}' is different between the {update} and {original} schema";
        }

        if (Narrowed.Contains(Type))
        {
            return $"An array or combined type at path '{Path}' has fewer elements in the {update} schema than the {original} schema";
        }

        if (Extended.Contains(Type))
        {
            return $"An array or combined type at path '{Path}' has more elements in the {update} schema than the {original} schema";
        }

        if (TypeChanged.Contains(Type))
        {
            return $"A type at path '{Path}' is different between the {update} schema and the {original} schema";
        }

        return Type switch
        {
            JsonDifferenceType.PropertyAddedToOpenContentModel or JsonDifferenceType.ItemAddedToOpenContentModel =>
                $"The {update} schema has an open content model and has a property or item at path '{Path}' which is missing in the {original} schema",
            JsonDifferenceType.RequiredPropertyAddedToUnopenContentModel =>
                $"The {update} schema has an unopen content model and has a required property at path '{Path}' which is missing in the {original} schema",
            JsonDifferenceType.PropertyRemovedFromClosedContentModel or JsonDifferenceType.ItemRemovedFromClosedContentModel =>
                $"The {update} has a closed content model and is missing a property or item present at path '{Path}' in the {original} schema",
            JsonDifferenceType.PropertyRemovedNotCoveredByPartiallyOpenContentModel or JsonDifferenceType.ItemRemovedNotCoveredByPartiallyOpenContentModel =>
                $"A property or item is missing in the {update} schema but present at path '{Path}' in the {original} schema and is not covered by its partially open content model",
            JsonDifferenceType.PropertyAddedNotCoveredByPartiallyOpenContentModel or JsonDifferenceType.ItemAddedNotCoveredByPartiallyOpenContentModel =>
                $"The {update} schema has a property or item at path '{Path}' which is missing in the {original} schema and is not covered by its partially open content model",
            _ => "",
        };
    }
}

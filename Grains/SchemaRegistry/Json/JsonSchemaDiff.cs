namespace Tributary.Grains.SchemaRegistry.Json;

/// <summary>
/// The differences between an original JSON schema (the writer's) and an update (the reader's), by Confluent's JSON
/// Schema compatibility rules (its <c>SchemaDiff</c> and the per-kind comparisons): data written with the original
/// can be read with the update when every difference is one of <see cref="JsonDifference.Compatible"/>. Each
/// difference carries the path where it is. A pair of schemas met again below itself (a recursive schema) counts as
/// compatible there, as in Confluent's.
/// </summary>
internal sealed partial class JsonSchemaDiff
{
    private readonly HashSet<(JsonSchemaNode, JsonSchemaNode)> _inProgress;
    private readonly List<string> _path;

    private JsonSchemaDiff(HashSet<(JsonSchemaNode, JsonSchemaNode)> inProgress, List<string> path)
    {
        _inProgress = inProgress;
        _path = path;
    }

    public List<JsonDifference> Differences { get; } = [];

    private bool IsCompatible => Differences.All(d => d.IsCompatible);

    public static IReadOnlyList<JsonDifference> Compare(JsonSchemaNode original, JsonSchemaNode update)
    {
        var diff = new JsonSchemaDiff(new HashSet<(JsonSchemaNode, JsonSchemaNode)>(PairComparer.Instance), []);
        diff.CompareSchemas(original, update);
        return diff.Differences;
    }

    private JsonSchemaDiff Sub() => new(_inProgress, [.. _path]);

    private void Add(JsonDifferenceType type) => Differences.Add(new JsonDifference(type, "#/" + string.Join('/', _path)));

    private void Add(string attribute, JsonDifferenceType type)
    {
        _path.Add(attribute);
        Add(type);
        _path.RemoveAt(_path.Count - 1);
    }

    private void In(string segment, Action compare)
    {
        _path.Add(segment);
        try
        {
            compare();
        }
        finally
        {
            _path.RemoveAt(_path.Count - 1);
        }
    }

    private void CompareSchemas(JsonSchemaNode? original, JsonSchemaNode? update)
    {
        if (original is null && update is null)
        {
            return;
        }

        if (original is null)
        {
            Add(JsonDifferenceType.SchemaAdded);
            return;
        }

        if (update is null)
        {
            Add(JsonDifferenceType.SchemaRemoved);
            return;
        }

        original = original.Referred();
        update = update.Referred();
        if (original.Kind != JsonSchemaKind.Combined && update.Kind == JsonSchemaKind.Combined)
        {
            if (update.Subschemas.Count == 1)
            {
                var sub = Sub();
                sub.CompareSchemas(original, update.Subschemas[0]);
                if (sub.IsCompatible)
                {
                    Differences.AddRange(sub.Differences);
                    return;
                }
            }
            else if (update.Criterion is "anyOf" or "oneOf")
            {
                // A schema that becomes one of the choices of a union is read by that choice.
                foreach (var choice in update.Subschemas)
                {
                    var sub = Sub();
                    sub.CompareSchemas(original, choice);
                    if (sub.IsCompatible)
                    {
                        Differences.AddRange(sub.Differences);
                        Add(JsonDifferenceType.SumTypeExtended);
                        return;
                    }
                }
            }
        }
        else if (original.Kind == JsonSchemaKind.Combined && update.Kind != JsonSchemaKind.Combined)
        {
            if (original.Subschemas.Count == 1)
            {
                var sub = Sub();
                sub.CompareSchemas(original.Subschemas[0], update);
                if (sub.IsCompatible)
                {
                    Differences.AddRange(sub.Differences);
                    return;
                }
            }
            else if (original.Criterion == "allOf")
            {
                // Data that met all of the original's parts meets any one of them: the update may keep just one.
                foreach (var part in original.Subschemas)
                {
                    var sub = Sub();
                    sub.CompareSchemas(part, update);
                    if (sub.IsCompatible)
                    {
                        Differences.AddRange(sub.Differences);
                        Add(JsonDifferenceType.ProductTypeNarrowed);
                        return;
                    }
                }
            }
        }

        if (original.Kind != update.Kind)
        {
            // Anything may become an empty (or true) schema, and a false schema anything.
            if (original.Kind != JsonSchemaKind.False && !update.IsEmpty)
            {
                Add(JsonDifferenceType.TypeChanged);
            }

            return;
        }

        if (!_inProgress.Add((original, update)))
        {
            return;
        }

        try
        {
            CompareAnnotations(original, update);
            switch (original.Kind)
            {
                case JsonSchemaKind.String:
                    CompareStrings(original, update);
                    break;
                case JsonSchemaKind.Number:
                    CompareNumbers(original, update);
                    break;
                case JsonSchemaKind.Enum:
                    CompareEnums(original, update);
                    break;
                case JsonSchemaKind.Const:
                    if (original.ConstValue != update.ConstValue)
                    {
                        Add("const", JsonDifferenceType.EnumArrayChanged);
                    }

                    break;
                case JsonSchemaKind.Combined:
                    CompareCombined(original, update);
                    break;
                case JsonSchemaKind.Not:
                    CompareNot(original, update);
                    break;
                case JsonSchemaKind.Object:
                    CompareObjects(original, update);
                    break;
                case JsonSchemaKind.Array:
                    CompareArrays(original, update);
                    break;
            }
        }
        finally
        {
            _inProgress.Remove((original, update));
        }
    }

    private void CompareAnnotations(JsonSchemaNode original, JsonSchemaNode update)
    {
        if (original.Id != update.Id)
        {
            Add(JsonDifferenceType.IdChanged);
        }

        if (original.Title != update.Title)
        {
            Add(JsonDifferenceType.TitleChanged);
        }

        if (original.Description != update.Description)
        {
            Add(JsonDifferenceType.DescriptionChanged);
        }

        if (original.Default != update.Default)
        {
            Add(JsonDifferenceType.DefaultChanged);
        }
    }

    private void CompareEnums(JsonSchemaNode original, JsonSchemaNode update)
    {
        if (original.EnumValues.SetEquals(update.EnumValues))
        {
            return;
        }

        Add("enum", update.EnumValues.IsSupersetOf(original.EnumValues) ? JsonDifferenceType.EnumArrayExtended
            : original.EnumValues.IsSupersetOf(update.EnumValues) ? JsonDifferenceType.EnumArrayNarrowed
            : JsonDifferenceType.EnumArrayChanged);
    }

    private void CompareNot(JsonSchemaNode original, JsonSchemaNode update) => In("not", () =>
    {
        // What the original excludes, the update must exclude no more of: compared the other way round.
        var sub = Sub();
        sub.CompareSchemas(update.MustNotMatch, original.MustNotMatch);
        Add(sub.IsCompatible ? JsonDifferenceType.NotTypeNarrowed : JsonDifferenceType.NotTypeExtended);
    });

    private void CompareCombined(JsonSchemaNode original, JsonSchemaNode update)
    {
        if (CompareCriteria(original, update) == JsonDifferenceType.CombinedTypeChanged)
        {
            return;
        }

        var originals = original.Subschemas.DistinctBy(s => s.Text).ToList();
        var updates = update.Subschemas.DistinctBy(s => s.Text).ToList();
        if (originals.Count < updates.Count)
        {
            Add(update.Criterion == "allOf" ? JsonDifferenceType.ProductTypeExtended : JsonDifferenceType.SumTypeExtended);
        }
        else if (originals.Count > updates.Count)
        {
            Add(update.Criterion == "allOf" ? JsonDifferenceType.ProductTypeNarrowed : JsonDifferenceType.SumTypeNarrowed);
        }

        // Which original subschema each update subschema can stand for: a maximum matching of the compatible pairs.
        var compatible = new List<JsonDifference>?[originals.Count, updates.Count];
        for (var i = 0; i < originals.Count; i++)
        {
            In($"{original.Criterion}/{i}", () =>
            {
                for (var j = 0; j < updates.Count; j++)
                {
                    var sub = Sub();
                    sub.CompareSchemas(originals[i], updates[j]);
                    if (sub.IsCompatible)
                    {
                        compatible[i, j] = sub.Differences;
                    }
                }
            });
        }

        var matching = BipartiteMatching.Maximum(originals.Count, updates.Count, (i, j) => compatible[i, j] is not null);
        foreach (var (i, j) in matching)
        {
            Differences.AddRange(compatible[i, j]!);
        }

        if (matching.Count < Math.Min(originals.Count, updates.Count))
        {
            Add(JsonDifferenceType.CombinedTypeSubschemasChanged);
        }
    }

    private JsonDifferenceType? CompareCriteria(JsonSchemaNode original, JsonSchemaNode update)
    {
        JsonDifferenceType? type = null;
        if (original.Criterion == update.Criterion)
        {
            return null;
        }

        type = update.Criterion switch
        {
            // allOf and oneOf may become anyOf; a single choice may become oneOf, and a single oneOf/anyOf a single allOf.
            "anyOf" => JsonDifferenceType.CombinedTypeExtended,
            "oneOf" => original.Subschemas.Count == 1 ? JsonDifferenceType.CombinedTypeExtended : JsonDifferenceType.CombinedTypeChanged,
            "allOf" => original.Subschemas.Count == 1 && update.Subschemas.Count == 1 ? JsonDifferenceType.CombinedTypeExtended : JsonDifferenceType.CombinedTypeChanged,
            _ => JsonDifferenceType.CombinedTypeChanged,
        };
        Add(type.Value);
        return type;
    }

    private sealed class PairComparer : IEqualityComparer<(JsonSchemaNode, JsonSchemaNode)>
    {
        public static PairComparer Instance { get; } = new();

        public bool Equals((JsonSchemaNode, JsonSchemaNode) x, (JsonSchemaNode, JsonSchemaNode) y) =>
            ReferenceEquals(x.Item1, y.Item1) && ReferenceEquals(x.Item2, y.Item2);

        public int GetHashCode((JsonSchemaNode, JsonSchemaNode) obj) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item1), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item2));
    }
}

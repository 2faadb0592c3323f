namespace Tributary.Grains.SchemaRegistry.Json;

/// <summary>
/// The differences between an original JSON schema (the writer's) and an update (the reader's), by Confluent's JSON
/// Schema compatibility rules (its <c>SchemaDiff</c> and the per-kind comparisons): data written with the original
/// can be read with the update when every difference is one of <see cref="JsonDifference.Compatible"/>. Each
/// difference carries the path where it is. A pair of schemas met again below itself (a recursive schema) counts as
/// compatible there, as in Confluent's.
/// </summary>
internal sealed class JsonSchemaDiff
{
    private readonly HashSet<(JsonSchemaNode, JsonSchemaNode)> _inProgress;
    private readonly Dictionary<(JsonSchemaNode, JsonSchemaNode), List<JsonDifference>> _memo;
    private readonly List<string> _path;

    private JsonSchemaDiff(
        HashSet<(JsonSchemaNode, JsonSchemaNode)> inProgress, Dictionary<(JsonSchemaNode, JsonSchemaNode), List<JsonDifference>> memo, List<string> path)
    {
        _inProgress = inProgress;
        _memo = memo;
        _path = path;
    }

    /// <summary>
    /// The incompatible differences found, at most <see cref="MaxKept"/> of them. Compatible ones decide nothing and
    /// are not reported, so they are not kept: a schema whose definitions are shared many times over would otherwise
    /// gather a copy of each compatible change per path to it, exponentially many.
    /// </summary>
    public List<JsonDifference> Differences { get; } = [];

    private const int MaxKept = 1000;

    internal bool IsCompatible => Differences.Count == 0;

    public static IReadOnlyList<JsonDifference> Compare(JsonSchemaNode original, JsonSchemaNode update)
    {
        var diff = new JsonSchemaDiff(new HashSet<(JsonSchemaNode, JsonSchemaNode)>(PairComparer.Instance), new Dictionary<(JsonSchemaNode, JsonSchemaNode), List<JsonDifference>>(PairComparer.Instance), []);
        diff.CompareSchemas(original, update);
        return diff.Differences;
    }

    internal JsonSchemaDiff Sub() => new(_inProgress, _memo, [.. _path]);

    private string CurrentPath => "#/" + string.Join('/', _path);

    internal void Add(JsonDifferenceType type)
    {
        if (!JsonDifference.Compatible.Contains(type))
        {
            Keep([new JsonDifference(type, CurrentPath)]);
        }
    }

    internal void Keep(IEnumerable<JsonDifference> differences)
    {
        foreach (var difference in differences)
        {
            if (Differences.Count == MaxKept)
            {
                return;
            }

            Differences.Add(difference);
        }
    }

    internal void Add(string attribute, JsonDifferenceType type)
    {
        _path.Add(attribute);
        Add(type);
        _path.RemoveAt(_path.Count - 1);
    }

    internal void In(string segment, Action compare)
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

    /// <summary>
    /// Compares a pair once: its differences are kept relative to the pair and placed under the current path on each
    /// later meeting, so that combinations of recursive definitions cost polynomial, not exponential, time. A pair met
    /// again while it is being compared is a cycle, compatible there (and that partial answer is not kept).
    /// </summary>
    internal void CompareSchemas(JsonSchemaNode? original, JsonSchemaNode? update)
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
        var pair = (original, update);
        if (!_memo.TryGetValue(pair, out var relative))
        {
            if (!_inProgress.Add(pair))
            {
                return;
            }

            try
            {
                var fresh = new JsonSchemaDiff(_inProgress, _memo, []);
                fresh.ComparePair(original, update);
                relative = fresh.Differences;
                _memo[pair] = relative;
            }
            finally
            {
                _inProgress.Remove(pair);
            }
        }

        if (_path.Count == 0)
        {
            Keep(relative);
            return;
        }

        var prefix = CurrentPath;
        Keep(relative.Select(d => d with { Path = d.Path.Length <= 2 ? prefix : prefix + d.Path[1..] }));
    }

    private void ComparePair(JsonSchemaNode original, JsonSchemaNode update)
    {
        if (original.Kind != JsonSchemaKind.Combined && update.Kind == JsonSchemaKind.Combined)
        {
            if (update.Subschemas.Count == 1)
            {
                var sub = Sub();
                sub.CompareSchemas(original, update.Subschemas[0]);
                if (sub.IsCompatible)
                {
                    Keep(sub.Differences);
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
                        Keep(sub.Differences);
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
                    Keep(sub.Differences);
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
                        Keep(sub.Differences);
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

        CompareAnnotations(original, update);
        switch (original.Kind)
        {
            case JsonSchemaKind.String:
                JsonScalarDiff.CompareStrings(this, original, update);
                break;
            case JsonSchemaKind.Number:
                JsonScalarDiff.CompareNumbers(this, original, update);
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
                JsonObjectDiff.Compare(this, original, update);
                break;
            case JsonSchemaKind.Array:
                JsonArrayDiff.Compare(this, original, update);
                break;
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
            Add(original.Criterion == "allOf" ? JsonDifferenceType.ProductTypeNarrowed : JsonDifferenceType.SumTypeNarrowed);
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
            Keep(compatible[i, j]!);
        }

        if (matching.Count < Math.Min(originals.Count, updates.Count))
        {
            Add(JsonDifferenceType.CombinedTypeSubschemasChanged);
        }
    }

    private JsonDifferenceType? CompareCriteria(JsonSchemaNode original, JsonSchemaNode update)
    {
        if (original.Criterion == update.Criterion)
        {
            return null;
        }

        // Anything may become anyOf; a single choice may become any combination, and an allOf keep a single part.
        var singleOriginal = original.Subschemas.Count == 1;
        var singleUpdate = update.Subschemas.Count == 1;
        var type = update.Criterion == "anyOf"
            || (singleOriginal && singleUpdate)
            || (singleOriginal && update.Criterion == "oneOf")
            || (singleUpdate && original.Criterion == "allOf")
            ? JsonDifferenceType.CombinedTypeExtended
            : JsonDifferenceType.CombinedTypeChanged;
        Add(type);
        return type;
    }

    /// <summary>A limit added, removed, raised or lowered, at the keyword's path.</summary>
    internal void CompareLimit<T>(
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

    /// <summary>
    /// A property or item that one side declares and the other lets in through its partially open content model:
    /// compared with the schema that model gives it, then reported as covered or not.
    /// </summary>
    internal void CompareCovered(JsonSchemaNode original, JsonSchemaNode update, JsonDifferenceType covered, JsonDifferenceType notCovered)
    {
        var sub = Sub();
        sub.CompareSchemas(original, update);
        Keep(sub.Differences);
        Add(sub.IsCompatible ? covered : notCovered);
    }

    /// <summary>
    /// What a content model lets in beyond what it declares (additionalProperties, additionalItems): allowed at all
    /// (added, removed), then without or with a schema (extended, narrowed), then the two schemas compared.
    /// </summary>
    internal void CompareAdditional(
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

    private sealed class PairComparer : IEqualityComparer<(JsonSchemaNode, JsonSchemaNode)>
    {
        public static PairComparer Instance { get; } = new();

        public bool Equals((JsonSchemaNode, JsonSchemaNode) x, (JsonSchemaNode, JsonSchemaNode) y) =>
            ReferenceEquals(x.Item1, y.Item1) && ReferenceEquals(x.Item2, y.Item2);

        public int GetHashCode((JsonSchemaNode, JsonSchemaNode) obj) =>
            HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item1), System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item2));
    }
}

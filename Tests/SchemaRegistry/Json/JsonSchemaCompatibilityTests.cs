using Tributary.Grains.SchemaRegistry;
using Tributary.Grains.SchemaRegistry.Json;

namespace Tributary.Tests.SchemaRegistry.Json;

/// <summary>Every pair of <see cref="JsonCompatibilityPairs"/> under every level, the transitive levels, and Confluent's messages.</summary>
public sealed class JsonSchemaCompatibilityTests
{
    private static readonly JsonSchemaFormat Format = new();

    public static TheoryData<JsonCompatibilityPairs.Pair> Pairs => new(JsonCompatibilityPairs.All);

    private static ParsedSchema Parse(string schema) => Format.Parse(schema, [], normalize: false);

    private static IReadOnlyList<string> Check(CompatibilityLevel level, string candidate, params string[] history) =>
        CompatibilityChecker.Check(Format, level, Parse(candidate), history.Select(Parse).ToList());

    private static bool Compatible(CompatibilityLevel level, string candidate, params string[] history) => Check(level, candidate, history).Count == 0;

    [Fact]
    public void ThereAreAtLeastSixtyPairs() => Assert.True(JsonCompatibilityPairs.All.Length >= 60);

    [Theory]
    [MemberData(nameof(Pairs))]
    public void EachPair_GetsItsVerdictUnderEveryLevel(JsonCompatibilityPairs.Pair pair) =>
        LevelVerdicts.AssertEveryLevel(Format, Parse, pair.Old, pair.New, pair.Backward, pair.Forward);

    [Fact]
    public void TransitiveLevels_CheckEveryVersion_PlainLevelsOnlyTheLatest()
    {
        // v2 loosens a limit that v3 tightens again, but not as far as v1 had it.
        const string v1 = """{"type":"string","maxLength":5}""";
        const string v2 = """{"type":"string","maxLength":20}""";
        const string v3 = """{"type":"string","maxLength":10}""";

        Assert.True(Compatible(CompatibilityLevel.Forward, v3, v1, v2));
        Assert.False(Compatible(CompatibilityLevel.ForwardTransitive, v3, v1, v2));
        Assert.False(Compatible(CompatibilityLevel.Backward, v3, v1, v2));
        Assert.False(Compatible(CompatibilityLevel.BackwardTransitive, v3, v1, v2));
    }

    [Fact]
    public void Incompatibilities_AreReportedAsConfluentWordsThem_WithTheirTypeAndPath()
    {
        const string old = """{"type":"object","additionalProperties":false,"properties":{"a":{"type":"string"},"b":{"type":"integer"}}}""";
        const string candidate = """{"type":"object","additionalProperties":false,"properties":{"a":{"type":"string","maxLength":3},"c":{"type":"string"}},"required":["c"]}""";

        var backward = Check(CompatibilityLevel.Backward, candidate, old);

        Assert.Equal(3, backward.Count);
        Assert.Contains(
            """{errorType:"MAX_LENGTH_ADDED", description:"The keyword at path '#/properties/a/maxLength' in the new schema is not present in the old schema'}""",
            backward);
        Assert.Contains(
            """{errorType:"PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", description:"The new has a closed content model and is missing a property or item present at path '#/properties/b' in the old schema'}""",
            backward);
        Assert.Contains(
            """{errorType:"REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", description:"The new schema has an unopen content model and has a required property at path '#/properties/c' which is missing in the old schema'}""",
            backward);

        // Checked forward, the old schema is the reader.
        var forward = Check(CompatibilityLevel.Forward, candidate, old);
        Assert.Contains(
            """{errorType:"PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", description:"The old has a closed content model and is missing a property or item present at path '#/properties/c' in the new schema'}""",
            forward);
    }

    [Fact]
    public void NestedUnionsOfRecursiveDefinitions_AreComparedInPolynomialTime()
    {
        // Each definition is a oneOf of four objects pointing at the next: without remembering compared pairs, the
        // cross products multiply at every level (16^12 comparisons).
        static string Chain(string leaf)
        {
            var definitions = Enumerable.Range(0, 12).Select(i =>
            {
                var next = i == 11 ? leaf : $"{{\"$ref\":\"#/definitions/d{i + 1}\"}}";
                var choices = Enumerable.Range(0, 4).Select(c => $"{{\"type\":\"object\",\"properties\":{{\"k{c}\":{next}}},\"required\":[\"k{c}\"]}}");
                return $"\"d{i}\":{{\"oneOf\":[{string.Join(",", choices)}]}}";
            });
            return $"{{\"definitions\":{{{string.Join(",", definitions)}}},\"$ref\":\"#/definitions/d0\"}}";
        }

        Assert.True(Compatible(CompatibilityLevel.Backward, Chain("""{"type":"number"}"""), Chain("""{"type":"integer"}""")));
        Assert.False(Compatible(CompatibilityLevel.Forward, Chain("""{"type":"number"}"""), Chain("""{"type":"integer"}""")));
    }

    [Fact]
    public void ADeeplyRecursiveSchema_IsComparedWithoutEndlessDescent()
    {
        const string tree = """{"type":"object","properties":{"value":{"type":"integer"},"children":{"type":"array","items":{"$ref":"#"}},"left":{"$ref":"#"},"right":{"$ref":"#"}}}""";
        const string widened = """{"type":"object","properties":{"value":{"type":"number"},"children":{"type":"array","items":{"$ref":"#"}},"left":{"$ref":"#"},"right":{"$ref":"#"}}}""";

        Assert.True(Compatible(CompatibilityLevel.Backward, widened, tree));
        Assert.False(Compatible(CompatibilityLevel.Forward, widened, tree));
    }
}

using Tributary.Grains.SchemaRegistry;
using Tributary.Grains.SchemaRegistry.Avro;

namespace Tributary.Tests.SchemaRegistry;

/// <summary>Every pair of <see cref="AvroCompatibilityPairs"/> under every level, and the transitive levels over histories.</summary>
public sealed class AvroCompatibilityTests
{
    private static readonly AvroFormat Avro = new();

    public static TheoryData<AvroCompatibilityPairs.Pair> Pairs => new(AvroCompatibilityPairs.All);

    private static ParsedSchema Parse(string schema) => Avro.Parse(schema, [], normalize: false);

    private static bool Compatible(CompatibilityLevel level, string candidate, params string[] history) =>
        CompatibilityChecker.Check(Avro, level, Parse(candidate), history.Select(Parse).ToList()).Count == 0;

    [Fact]
    public void ThereAreAtLeastSixtyPairs() => Assert.True(AvroCompatibilityPairs.All.Length >= 60);

    [Theory]
    [MemberData(nameof(Pairs))]
    public void EachPair_GetsItsVerdictUnderEveryLevel(AvroCompatibilityPairs.Pair pair) =>
        LevelVerdicts.AssertEveryLevel(Avro, Parse, pair.Old, pair.New, pair.Backward, pair.Forward);

    [Fact]
    public void TransitiveLevels_CheckEveryVersion_PlainLevelsOnlyTheLatest()
    {
        const string v1 = """{"type":"record","name":"R","fields":[{"name":"f","type":"long","default":0}]}""";
        const string v2 = """{"type":"record","name":"R","fields":[]}""";
        const string v3 = """{"type":"record","name":"R","fields":[{"name":"f","type":"string","default":""}]}""";

        Assert.True(Compatible(CompatibilityLevel.Backward, v3, v1, v2));
        Assert.False(Compatible(CompatibilityLevel.BackwardTransitive, v3, v1, v2));
        Assert.True(Compatible(CompatibilityLevel.Forward, v3, v1, v2));
        Assert.False(Compatible(CompatibilityLevel.ForwardTransitive, v3, v1, v2));
        Assert.True(Compatible(CompatibilityLevel.Full, v3, v1, v2));
        Assert.False(Compatible(CompatibilityLevel.FullTransitive, v3, v1, v2));
    }

    [Fact]
    public void EveryIncompatibility_IsReported_WithItsTypeAndPath()
    {
        var old = Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"e","type":{"type":"enum","name":"E","symbols":["X","Y"]}}]}""");
        var candidate = Parse("""{"type":"record","name":"R","fields":[{"name":"a","type":"string"},{"name":"e","type":{"type":"enum","name":"E","symbols":["X"]}},{"name":"b","type":"int"}]}""");

        var messages = CompatibilityChecker.Check(Avro, CompatibilityLevel.Backward, candidate, [old]);

        Assert.Equal(3, messages.Count);
        Assert.Contains(messages, m => m.Contains("TYPE_MISMATCH", StringComparison.Ordinal) && m.Contains("/fields/0/type", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("MISSING_ENUM_SYMBOLS", StringComparison.Ordinal) && m.Contains("/fields/1/type/symbols", StringComparison.Ordinal) && m.Contains("[Y]", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("READER_FIELD_MISSING_DEFAULT_VALUE", StringComparison.Ordinal) && m.Contains("/fields/2", StringComparison.Ordinal));
    }
}

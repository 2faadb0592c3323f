using Tributary.Grains.SchemaRegistry;

namespace Tributary.Tests.SchemaRegistry;

/// <summary>One old/new pair judged under every compatibility level, for any schema format.</summary>
public static class LevelVerdicts
{
    /// <summary>
    /// Asserts that BACKWARD (and its transitive form) says <paramref name="backward"/>, FORWARD says
    /// <paramref name="forward"/>, FULL says both, and NONE accepts anything.
    /// </summary>
    public static void AssertEveryLevel(ISchemaFormat format, Func<string, ParsedSchema> parse, string old, string candidate, bool backward, bool forward)
    {
        bool Compatible(CompatibilityLevel level) => CompatibilityChecker.Check(format, level, parse(candidate), [parse(old)]).Count == 0;

        Assert.Equal(backward, Compatible(CompatibilityLevel.Backward));
        Assert.Equal(backward, Compatible(CompatibilityLevel.BackwardTransitive));
        Assert.Equal(forward, Compatible(CompatibilityLevel.Forward));
        Assert.Equal(forward, Compatible(CompatibilityLevel.ForwardTransitive));
        Assert.Equal(backward && forward, Compatible(CompatibilityLevel.Full));
        Assert.Equal(backward && forward, Compatible(CompatibilityLevel.FullTransitive));
        Assert.True(Compatible(CompatibilityLevel.None));
    }
}

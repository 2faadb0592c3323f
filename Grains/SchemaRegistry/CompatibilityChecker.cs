namespace Tributary.Grains.SchemaRegistry;

/// <summary>
/// A compatibility level applied to a new schema and the subject's live versions (oldest first), after Confluent's
/// CompatibilityChecker: BACKWARD means the new schema reads data written with the old, FORWARD the old reads the new,
/// FULL both; plain levels check the latest version, transitive ones every version.
/// </summary>
public static class CompatibilityChecker
{
    public static IReadOnlyList<string> Check(ISchemaFormat format, CompatibilityLevel level, ParsedSchema candidate, IReadOnlyList<ParsedSchema> previous)
    {
        if (level == CompatibilityLevel.None || previous.Count == 0)
        {
            return [];
        }

        var transitive = level.IsTransitive();
        var backward = level is CompatibilityLevel.Backward or CompatibilityLevel.BackwardTransitive or CompatibilityLevel.Full or CompatibilityLevel.FullTransitive;
        var forward = level is CompatibilityLevel.Forward or CompatibilityLevel.ForwardTransitive or CompatibilityLevel.Full or CompatibilityLevel.FullTransitive;
        var messages = new List<string>();
        foreach (var old in transitive ? previous.Reverse() : [previous[^1]])
        {
            if (backward)
            {
                messages.AddRange(format.CheckCanRead(candidate, old, "new", "old"));
            }

            if (forward)
            {
                messages.AddRange(format.CheckCanRead(old, candidate, "old", "new"));
            }

            if (messages.Count > 0)
            {
                break;
            }
        }

        return messages;
    }
}

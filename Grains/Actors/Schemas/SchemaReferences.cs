using System.Globalization;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.SchemaRegistry;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>
/// A stored schema's references with their schemas, read from their subjects, theirs before them. A subject version
/// several references reach (a diamond) is read once and its references shared, so that a chain of them costs as
/// many reads as it has versions, not one per path.
/// </summary>
internal static class SchemaReferences
{
    /// <summary>How deep references may chain; a cycle stops here too.</summary>
    private const int MaxDepth = 32;

    /// <summary>An unqualified reference is in its referrer's context, <paramref name="context"/>.</summary>
    public static Task<List<ResolvedReference>> ResolveAsync(IGrainFactory grains, IReadOnlyList<SchemaReferenceData> references, string context) =>
        ResolveAsync(grains, references, context, 0, []);

    private static async Task<List<ResolvedReference>> ResolveAsync(
        IGrainFactory grains, IReadOnlyList<SchemaReferenceData> references, string context, int depth,
        Dictionary<(string, int), (string Schema, List<ResolvedReference> Nested)> read)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidSchemaException($"References nest deeper than {MaxDepth} levels.");
        }

        var resolved = new List<ResolvedReference>();
        foreach (var reference in references)
        {
            var subject = QualifiedSubject.InContextOf(reference.Subject, context);
            if (!read.TryGetValue((subject.Qualified, reference.Version), out var known))
            {
                var found = await grains.SchemaSubject(subject).GetVersionAsync(reference.Version.ToString(CultureInfo.InvariantCulture), includeDeleted: true);
                var target = found.Value?.Definition
                    ?? throw new InvalidSchemaException($"Invalid reference '{reference.Name}': {reference.Subject} version {reference.Version} not found.");
                known = (target.Schema, await ResolveAsync(grains, target.References, subject.Context, depth + 1, read));
                read[(subject.Qualified, reference.Version)] = known;
            }

            resolved.Add(new ResolvedReference(reference.Name, reference.Subject, reference.Version, known.Schema, known.Nested));
        }

        return resolved;
    }
}

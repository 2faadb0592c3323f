using System.Globalization;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.SchemaRegistry;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>A stored schema's references with their schemas, read from their subjects, theirs before them.</summary>
internal static class SchemaReferences
{
    /// <summary>How deep references may chain; a cycle stops here too.</summary>
    private const int MaxDepth = 32;

    /// <summary>An unqualified reference is in its referrer's context, <paramref name="context"/>.</summary>
    public static async Task<List<ResolvedReference>> ResolveAsync(
        IGrainFactory grains, IReadOnlyList<SchemaReferenceData> references, string context, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidSchemaException($"References nest deeper than {MaxDepth} levels.");
        }

        var resolved = new List<ResolvedReference>();
        foreach (var reference in references)
        {
            var subject = QualifiedSubject.InContextOf(reference.Subject, context);
            var found = await grains.SchemaSubject(subject).GetVersionAsync(reference.Version.ToString(CultureInfo.InvariantCulture), includeDeleted: true);
            var target = found.Value?.Definition
                ?? throw new InvalidSchemaException($"Invalid reference '{reference.Name}': {reference.Subject} version {reference.Version} not found.");
            resolved.Add(new ResolvedReference(reference.Name, reference.Subject, reference.Version, target.Schema, await ResolveAsync(grains, target.References, subject.Context, depth + 1)));
        }

        return resolved;
    }
}

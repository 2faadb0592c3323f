using System.Globalization;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.KafkaFormats.SchemaRegistry;
using Tributary.Grains.SchemaRegistry;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>
/// Parsing with references resolved through this and other subjects; parsed versions are kept in memory, so a
/// compatibility check parses only the versions it has not seen yet.
/// </summary>
public sealed partial class SchemaSubjectGrain
{
    private readonly Dictionary<int, ParsedSchema> _parsed = [];

    private async Task<(ParsedSchema? Parsed, string? Error)> TryParseAsync(SchemaSubmission submission)
    {
        var definition = submission.Definition;
        if (!SchemaFormats.Default.TryGet(definition.SchemaType, out var format))
        {
            return (null, $"Invalid schema type {definition.SchemaType}");
        }

        try
        {
            var references = await ResolveAsync(definition.References, [], []);
            return (format.Parse(definition.Schema, references, _settings.Normalizes(submission.Normalize)), null);
        }
        catch (InvalidSchemaException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>
    /// The references with their schemas, theirs before them; an unknown subject or version is an invalid schema. A
    /// version reached again (a diamond) is read once and its references shared (<paramref name="read"/>), so a chain
    /// of diamonds costs one read per version rather than one per path.
    /// </summary>
    private async Task<List<ResolvedReference>> ResolveAsync(
        IReadOnlyList<SchemaReferenceData> references, HashSet<(string, int)> resolving,
        Dictionary<(string, int), (SchemaDefinition Definition, List<ResolvedReference> Nested)> read, string? referrerContext = null)
    {
        var resolved = new List<ResolvedReference>();
        foreach (var reference in references)
        {
            // An unqualified subject is in its referrer's context (this subject's, or a referenced subject's).
            var target = QualifiedSubject.InContextOf(reference.Subject, referrerContext ?? Context);
            var qualified = target.Qualified;
            if (read.TryGetValue((qualified, reference.Version), out var known))
            {
                resolved.Add(new ResolvedReference(reference.Name, reference.Subject, reference.Version, known.Definition.Schema, known.Nested));
                continue;
            }

            if (!resolving.Add((qualified, reference.Version)))
            {
                throw new InvalidSchemaException($"Circular reference to {reference.Subject} version {reference.Version}.");
            }

            var spec = reference.Version.ToString(CultureInfo.InvariantCulture);
            SchemaDefinition? definition;
            if (qualified == Subject)
            {
                definition = _versions.Find(spec, includeDeleted: true).Value?.Definition;
            }
            else
            {
                var remote = await GrainFactory.SchemaSubject(target).GetVersionAsync(spec, includeDeleted: true);
                definition = remote.ErrorCode == RegistryErrors.None ? remote.Value?.Definition : null;
            }

            if (definition is null)
            {
                throw new InvalidSchemaException($"Invalid reference '{reference.Name}': {reference.Subject} version {reference.Version} not found.");
            }

            var nested = await ResolveAsync(definition.References, resolving, read, target.Context);
            read[(qualified, reference.Version)] = (definition, nested);
            resolved.Add(new ResolvedReference(reference.Name, reference.Subject, reference.Version, definition.Schema, nested));
            resolving.Remove((qualified, reference.Version));
        }

        return resolved;
    }

    private async Task<IReadOnlyList<ParsedSchema>> ParsedAsync(IReadOnlyList<StoredVersion> versions)
    {
        var parsed = new List<ParsedSchema>(versions.Count);
        foreach (var version in versions)
        {
            if (!_parsed.TryGetValue(version.Version, out var known))
            {
                SchemaFormats.Default.TryGet(version.Definition.SchemaType, out var format);
                known = format.Parse(version.Definition.Schema, await ResolveAsync(version.Definition.References, [], []), normalize: false);
                _parsed[version.Version] = known;
            }

            parsed.Add(known);
        }

        return parsed;
    }

    private static ISchemaFormat Format(ParsedSchema parsed)
    {
        SchemaFormats.Default.TryGet(parsed.Type, out var format);
        return format;
    }
}

using System.Security.Cryptography;
using System.Text;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.SchemaRegistry;

using Tributary.Grains.Actors.Persistence;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>
/// One subject, after Confluent's KafkaSchemaRegistry: registration (same schema again returns its id; otherwise
/// checked against the subject's level, then a new version with an id shared across subjects), lookup and
/// compatibility checks. Not reentrant, except for reads: a registration may read the subject's own versions as
/// references. Parsed versions are kept in memory for compatibility checks.
/// </summary>
public sealed partial class SchemaSubjectGrain(
    [PersistentState("subject", GrainStorageNames.ControlPlane)] IPersistentState<SubjectState> state) : Grain, ISchemaSubjectGrain
{
    private readonly Dictionary<int, ParsedSchema> _parsed = [];

    private string Subject => this.GetPrimaryKeyString();

    private IEnumerable<StoredVersion> Live => state.State.Versions.Where(v => !v.Deleted);

    private ISchemaRegistryGrain Registry => GrainFactory.GetGrain<ISchemaRegistryGrain>(0);

    public async Task<RegistryResult<int>> RegisterAsync(SchemaSubmission submission)
    {
        if (await ReadOnlyAsync() is { } readOnly)
        {
            return RegistryResult<int>.Fail(readOnly.ErrorCode, readOnly.Message!);
        }

        if (submission.Id is not null)
        {
            return RegistryResult<int>.Fail(RegistryErrors.OperationNotPermitted, "Registering a schema with an id requires IMPORT mode, which is not supported.");
        }

        var (parsed, invalid) = await TryParseAsync(submission);
        if (parsed is null)
        {
            return RegistryResult<int>.Fail(RegistryErrors.InvalidSchema, invalid!);
        }

        if (Live.FirstOrDefault(v => v.Identity == parsed.Identity) is { } existing)
        {
            return RegistryResult<int>.Ok(existing.Id);
        }

        var level = await LevelAsync();
        var messages = CompatibilityChecker.Check(Format(parsed), level, parsed, await LiveParsedAsync());
        if (messages.Count > 0)
        {
            return RegistryResult<int>.Fail(RegistryErrors.IncompatibleSchema,
                $"Schema being registered is incompatible with an earlier schema for subject \"{Subject}\", details: [{string.Join(", ", messages)}]");
        }

        var definition = submission.Definition with { Schema = parsed.Text };
        var id = await GrainFactory.GetGrain<ISchemaIdentityGrain>(IdentityKey(parsed)).GetOrCreateIdAsync(definition);
        var version = new StoredVersion { Version = state.State.MaxVersion + 1, Id = id, Definition = definition, Identity = parsed.Identity };

        // The indexes (the id's usages, the registry's subject list) are written first: after a crash they may name a
        // version that was never stored, which readers check against this grain, but never miss one that was.
        await GrainFactory.GetGrain<ISchemaByIdGrain>(id).SetUsageAsync(Subject, version.Version, false);
        await Registry.UpdateSubjectAsync(Subject, true);
        state.State.MaxVersion = version.Version;
        state.State.Versions.Add(version);
        await state.WriteStateAsync();
        _parsed[version.Version] = parsed;
        foreach (var reference in definition.References)
        {
            if (reference.Subject == Subject)
            {
                await AddReferencedByAsync(reference.Version, id);
            }
            else
            {
                await GrainFactory.GetGrain<ISchemaSubjectGrain>(reference.Subject).AddReferencedByAsync(reference.Version, id);
            }
        }

        return RegistryResult<int>.Ok(id);
    }

    public async Task<RegistryResult<SubjectVersion>> LookupAsync(SchemaSubmission submission, bool includeDeleted)
    {
        if (state.State.Versions.Count == 0)
        {
            return RegistryResult<SubjectVersion>.Fail(RegistryErrors.SubjectNotFound, $"Subject '{Subject}' not found.");
        }

        var (parsed, invalid) = await TryParseAsync(submission);
        if (parsed is null)
        {
            return RegistryResult<SubjectVersion>.Fail(RegistryErrors.InvalidSchema, invalid!);
        }

        var found = state.State.Versions.Where(v => includeDeleted || !v.Deleted).LastOrDefault(v => v.Identity == parsed.Identity);
        return found is null
            ? RegistryResult<SubjectVersion>.Fail(RegistryErrors.SchemaNotFound, "Schema not found")
            : RegistryResult<SubjectVersion>.Ok(Describe(found));
    }

    public async Task<RegistryResult<CompatibilityVerdict>> CheckCompatibilityAsync(SchemaSubmission submission, string? version)
    {
        StoredVersion? against = null;
        if (version is "latest" or "-1" && !Live.Any())
        {
            // As Confluent: a first schema is compatible with the latest version of a subject that has none yet.
            version = null;
        }

        if (version is not null)
        {
            var found = Find(version, includeDeleted: false);
            if (found.ErrorCode != RegistryErrors.None)
            {
                return RegistryResult<CompatibilityVerdict>.Fail(found.ErrorCode, found.Message!);
            }

            against = found.Value;
        }

        var (parsed, invalid) = await TryParseAsync(submission);
        if (parsed is null)
        {
            return RegistryResult<CompatibilityVerdict>.Fail(RegistryErrors.InvalidSchema, invalid!);
        }

        var level = await LevelAsync();
        var previous = against is null ? await LiveParsedAsync() : [await ParsedAsync(against)];
        if (against is not null)
        {
            // One version named: checked as the level's direction, not transitively.
            level = level switch
            {
                CompatibilityLevel.BackwardTransitive => CompatibilityLevel.Backward,
                CompatibilityLevel.ForwardTransitive => CompatibilityLevel.Forward,
                CompatibilityLevel.FullTransitive => CompatibilityLevel.Full,
                _ => level,
            };
        }

        var messages = CompatibilityChecker.Check(Format(parsed), level, parsed, previous);
        return RegistryResult<CompatibilityVerdict>.Ok(new CompatibilityVerdict(messages.Count == 0,
            messages.Count == 0 ? [] : [.. messages, $"{{compatibility: '{level.Name()}'}}"]));
    }

    /// <summary>The level that applies: the subject's, else the registry's.</summary>
    private async Task<CompatibilityLevel> LevelAsync()
    {
        var name = state.State.Compatibility ?? (await Registry.GetConfigAsync()).Compatibility;
        return CompatibilityLevels.TryParse(name, out var level) ? level : CompatibilityLevel.Backward;
    }

    private async Task<RegistryResult<int>?> ReadOnlyAsync()
    {
        var mode = state.State.Mode ?? await Registry.GetModeAsync();
        return mode is "READONLY" or "READONLY_OVERRIDE"
            ? RegistryResult<int>.Fail(RegistryErrors.OperationNotPermitted, $"Subject {Subject} is in read-only mode")
            : null;
    }

    private async Task<(ParsedSchema? Parsed, string? Error)> TryParseAsync(SchemaSubmission submission)
    {
        var definition = submission.Definition;
        if (!SchemaFormats.Default.TryGet(definition.SchemaType, out var format))
        {
            return (null, $"Invalid schema type {definition.SchemaType}");
        }

        try
        {
            var references = await ResolveAsync(definition.References, []);
            return (format.Parse(definition.Schema, references, submission.Normalize || state.State.Normalize == true), null);
        }
        catch (InvalidSchemaException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>The references with their schemas, theirs before them; an unknown subject or version is an invalid schema.</summary>
    private async Task<List<ResolvedReference>> ResolveAsync(IReadOnlyList<SchemaReferenceData> references, HashSet<(string, int)> resolving)
    {
        var resolved = new List<ResolvedReference>();
        foreach (var reference in references)
        {
            if (!resolving.Add((reference.Subject, reference.Version)))
            {
                throw new InvalidSchemaException($"Circular reference to {reference.Subject} version {reference.Version}.");
            }

            var found = reference.Subject == Subject
                ? Find(reference.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), includeDeleted: true)
                : await GrainFactory.GetGrain<ISchemaSubjectGrain>(reference.Subject)
                    .GetVersionAsync(reference.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), includeDeleted: true) is var remote
                    && remote.Value is { } version
                        ? RegistryResult<StoredVersion>.Ok(new StoredVersion { Version = version.Version, Id = version.Id, Definition = version.Definition })
                        : RegistryResult<StoredVersion>.Fail(RegistryErrors.VersionNotFound, "");
            if (found.Value is not { } target)
            {
                throw new InvalidSchemaException($"Invalid reference '{reference.Name}': {reference.Subject} version {reference.Version} not found.");
            }

            var nested = await ResolveAsync(target.Definition.References, resolving);
            resolved.Add(new ResolvedReference(reference.Name, reference.Subject, reference.Version, target.Definition.Schema, nested));
            resolving.Remove((reference.Subject, reference.Version));
        }

        return resolved;
    }

    private async Task<IReadOnlyList<ParsedSchema>> LiveParsedAsync()
    {
        var parsed = new List<ParsedSchema>();
        foreach (var version in Live)
        {
            parsed.Add(await ParsedAsync(version));
        }

        return parsed;
    }

    private async Task<ParsedSchema> ParsedAsync(StoredVersion version)
    {
        if (!_parsed.TryGetValue(version.Version, out var parsed))
        {
            SchemaFormats.Default.TryGet(version.Definition.SchemaType, out var format);
            parsed = format.Parse(version.Definition.Schema, await ResolveAsync(version.Definition.References, []), normalize: false);
            _parsed[version.Version] = parsed;
        }

        return parsed;
    }

    private static ISchemaFormat Format(ParsedSchema parsed)
    {
        SchemaFormats.Default.TryGet(parsed.Type, out var format);
        return format;
    }

    private static string IdentityKey(ParsedSchema parsed) =>
        parsed.Type + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(parsed.Identity)));

    private SubjectVersion Describe(StoredVersion version) => new(Subject, version.Version, version.Id, version.Definition, version.Deleted);
}

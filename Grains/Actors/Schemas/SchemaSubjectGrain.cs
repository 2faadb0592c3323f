using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Tributary.Grains.Actors.Persistence;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.KafkaFormats.SchemaRegistry;
using Tributary.Grains.SchemaRegistry;
using Tributary.Grains.SchemaRegistry.Subjects;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>
/// One subject, after Confluent's KafkaSchemaRegistry: an adapter from grain calls to the Orleans-free
/// <see cref="SubjectVersions{TVersion}"/> and <see cref="SubjectSettings"/>, which decide; this grain parses schemas
/// (resolving references through other subjects), allocates ids through the identity grains, keeps the indexes (the
/// id's usages, the registry's subject list) and persists: the settings as one record, the versions in chunks
/// (<see cref="SubjectVersionLog"/>), so that a registration writes one small chunk whatever the subject's size.
/// Not reentrant, except for reads: a registration may read the subject's own versions as references.
/// </summary>
public sealed partial class SchemaSubjectGrain(
    [PersistentState("subject", GrainStorageNames.ControlPlane)] IPersistentState<SubjectState> state) : Grain, ISchemaSubjectGrain
{
    private SubjectVersions<StoredVersion> _versions = null!;
    private SubjectVersionLog _log = null!;
    private SubjectSettings _settings = null!;

    private string Subject => this.GetPrimaryKeyString();

    /// <summary>The subject's schema context: its ids, its config and mode when it has none of its own.</summary>
    private string Context => QualifiedSubject.Parse(Subject).Context;

    private ISchemaRegistryGrain Registry => GrainFactory.SchemaRegistry(Context);

    /// <summary>A reference's subject grain: an unqualified subject is in this subject's context.</summary>
    private ISchemaSubjectGrain Referenced(string subject) => GrainFactory.SchemaSubject(QualifiedSubject.InContextOf(subject, Context));

    /// <summary>Whether a reference names this subject.</summary>
    private bool IsSelf(string subject) => QualifiedSubject.InContextOf(subject, Context).Qualified == Subject;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _settings = new SubjectSettings(state.State.Compatibility, state.State.Normalize, state.State.Mode);
        _log = new SubjectVersionLog(ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.ControlPlane), this.GetGrainId());
        var stored = await _log.LoadAsync();
        if (!_log.Exists && state.State.Versions.Count > 0)
        {
            // Stored whole by an earlier broker: moved into chunks, then dropped from the settings' record.
            stored = state.State.Versions;
            foreach (var version in stored)
            {
                _log.Added(version);
            }

            await _log.FlushAsync();
        }

        if (state.State.Versions.Count > 0)
        {
            state.State.Versions = [];
            await state.WriteStateAsync();
        }

        _versions = new SubjectVersions<StoredVersion>(Subject, stored);
    }

    public async Task<RegistryResult<SubjectVersion>> RegisterAsync(SchemaSubmission submission)
    {
        if (!QualifiedSubject.IsValid(Subject, configOrMode: false))
        {
            return RegistryResult<SubjectVersion>.Fail(RegistryErrors.InvalidSubject, $"The specified subject '{Subject}' is not a valid.");
        }

        var defaults = await Registry.GetDefaultsAsync();
        if (_settings.IsReadOnly(defaults.Mode))
        {
            return ReadOnly<SubjectVersion>();
        }

        // As Confluent: explicit ids only in IMPORT mode, and only explicit ids there.
        var importing = (_settings.Mode ?? defaults.Mode) == "IMPORT";
        if ((submission.Id is not null) != importing)
        {
            return RegistryResult<SubjectVersion>.Fail(RegistryErrors.OperationNotPermitted,
                $"Subject {Subject} in context {Context} is not in {(importing ? "read-write" : "import")} mode");
        }

        // A subject a topic owns is no reference target, in any mode.
        if (submission.Definition.References.Count > 0 && await ReferencesOwnedSubjectAsync(submission.Definition.References) is { } owned)
        {
            return RegistryResult<SubjectVersion>.Fail(RegistryErrors.OperationNotPermitted, owned);
        }

        var (parsed, invalid) = await TryParseAsync(submission);
        if (parsed is null)
        {
            return RegistryResult<SubjectVersion>.Fail(RegistryErrors.InvalidSchema, invalid!);
        }

        if (DataContracts.Invalid(submission.Definition.RuleSet) is { } invalidRules)
        {
            return RegistryResult<SubjectVersion>.Fail(RegistryErrors.InvalidRuleSet, $"Invalid rule set: {invalidRules}");
        }

        if (importing)
        {
            return await ImportAsync(submission, parsed);
        }

        // As Confluent: without a version (or with -1, the latest alone), the schema as sent is looked for first (but for
        // confluent:version), unless the config gives defaults or overrides; then as it would be registered.
        var latestOnly = submission.Version == -1;
        var explicitVersion = submission.Version is > 0 ? submission.Version : null;
        if (explicitVersion is null && !HasDefaultsOrOverrides(defaults))
        {
            var sent = submission.Definition with { Schema = parsed.Text };
            var found = latestOnly ? null : _versions.FindLive(FullIdentity(parsed, sent));
            if ((found ?? FindIgnoringConfluentVersion(parsed, sent, latestOnly)) is { } same)
            {
                return RegistryResult<SubjectVersion>.Ok(Describe(same));
            }
        }

        var definition = ConfluentVersions.Set(WithContract(submission.Definition, defaults) with { Schema = parsed.Text }, submission.Version, _versions.NextVersion);
        var identity = FullIdentity(parsed, definition);
        if (submission.Version is null && (_versions.FindLive(identity) ?? FindIgnoringConfluentVersion(parsed, definition, latestOnly: false)) is { } existing)
        {
            return RegistryResult<SubjectVersion>.Ok(Describe(existing));
        }

        // A version given outside IMPORT mode must be the next one, as Confluent checks it.
        if (explicitVersion is { } asked && asked != _versions.NextVersion)
        {
            return RegistryResult<SubjectVersion>.Fail(RegistryErrors.InvalidSchema, "Version is not one more than previous version");
        }

        var level = _settings.EffectiveLevel(defaults.Compatibility);
        var messages = CompatibilityChecker.Check(Format(parsed), level, parsed, await ParsedAsync(_versions.VersionsToCheck(level)));
        if (messages.Count > 0)
        {
            return RegistryResult<SubjectVersion>.Fail(RegistryErrors.IncompatibleSchema,
                $"Schema being registered is incompatible with an earlier schema for subject \"{Subject}\", details: [{string.Join(", ", messages)}]");
        }

        // The indexes (the id's usages, the registry's subject list) are written first: after a crash they may name a
        // version that was never stored, which readers check against this grain, but never miss one that was.
        var number = _versions.NextVersion;
        var allocated = await GrainFactory.GetGrain<ISchemaIdentityGrain>(IdentityKey(parsed.Type, identity))
            .GetOrCreateIdAsync(definition, new SchemaUsage(Subject, number, Deleted: false));
        if (!allocated.Created)
        {
            await GrainFactory.SchemaById(allocated.Id, Context).SetUsageAsync(Subject, number, false);
        }

        return RegistryResult<SubjectVersion>.Ok(await StoreAsync(definition, number, allocated.Id, parsed, identity));
    }

    /// <summary>Stores a version whose id and usage are recorded, and marks what it references.</summary>
    private async Task<SubjectVersion> StoreAsync(SchemaDefinition definition, int number, int id, ParsedSchema parsed, string identity)
    {
        if (_versions.Liveness != true)
        {
            await Registry.UpdateSubjectAsync(Subject, true);
        }

        var version = new StoredVersion { Version = number, Id = id, Definition = definition, Identity = identity };
        _versions.Add(version);
        _log.Added(version);
        _parsed[version.Version] = parsed;
        await _log.FlushAsync();
        foreach (var reference in definition.References)
        {
            if (IsSelf(reference.Subject))
            {
                await AddReferencedByAsync(reference.Version, id);
            }
            else
            {
                await Referenced(reference.Subject).AddReferencedByAsync(reference.Version, id);
            }
        }

        return Describe(version);
    }

    public async Task<RegistryResult<SubjectVersion>> LookupAsync(SchemaSubmission submission, bool includeDeleted)
    {
        if (_versions.IsEmpty)
        {
            return Answer(_versions.Lookup("", includeDeleted), Describe);
        }

        var (parsed, invalid) = await TryParseAsync(submission);
        if (parsed is null)
        {
            return RegistryResult<SubjectVersion>.Fail(RegistryErrors.InvalidSchema, invalid!);
        }

        // As Confluent looks: as given (but for confluent:version), else as a registration would have it (with the
        // contract it would be given).
        foreach (var definition in new[] { submission.Definition, WithContract(submission.Definition, await Registry.GetDefaultsAsync()) })
        {
            var found = _versions.Lookup(FullIdentity(parsed, definition), includeDeleted);
            if (found.IsOk)
            {
                return Answer(found, Describe);
            }

            if (FindIgnoringConfluentVersion(parsed, definition, latestOnly: false) is { } similar)
            {
                return RegistryResult<SubjectVersion>.Ok(Describe(similar));
            }
        }

        return Answer(_versions.Lookup(FullIdentity(parsed, submission.Definition), includeDeleted), Describe);
    }

    public async Task<RegistryResult<CompatibilityVerdict>> CheckCompatibilityAsync(SchemaSubmission submission, string? version)
    {
        var target = _versions.CompatibilityTarget(version);
        if (!target.IsOk)
        {
            return RegistryResult<CompatibilityVerdict>.Fail(target.ErrorCode, target.Message!);
        }

        var (parsed, invalid) = await TryParseAsync(submission);
        if (parsed is null)
        {
            return RegistryResult<CompatibilityVerdict>.Fail(RegistryErrors.InvalidSchema, invalid!);
        }

        var level = _settings.EffectiveLevel((await Registry.GetDefaultsAsync()).Compatibility);
        IReadOnlyList<StoredVersion> against = _versions.VersionsToCheck(level);
        if (target.Value is { } named)
        {
            // One version named: checked as the level's direction, not transitively.
            (level, against) = (level.NonTransitive(), [named]);
        }

        var messages = CompatibilityChecker.Check(Format(parsed), level, parsed, await ParsedAsync(against));
        return RegistryResult<CompatibilityVerdict>.Ok(new CompatibilityVerdict(messages.Count == 0,
            messages.Count == 0 ? [] : [.. messages, $"{{compatibility: '{level.Name()}'}}"]));
    }

    private RegistryResult<T> ReadOnly<T>() =>
        RegistryResult<T>.Fail(RegistryErrors.OperationNotPermitted, $"Subject {Subject} is in read-only mode");

    private static RegistryResult<TOut> Answer<TIn, TOut>(SubjectOutcome<TIn> outcome, Func<TIn, TOut> map) =>
        outcome.IsOk ? RegistryResult<TOut>.Ok(map(outcome.Value!)) : RegistryResult<TOut>.Fail(outcome.ErrorCode, outcome.Message!);

    private SubjectVersion Describe(StoredVersion version) => new(Subject, version.Version, version.Id, version.Definition, version.Deleted);

    /// <summary>The identity grain's key: one per schema identity within the context.</summary>
    private string IdentityKey(string type, string identity) =>
        QualifiedSubject.ContextPrefix(Context) + type + ":" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)));
}

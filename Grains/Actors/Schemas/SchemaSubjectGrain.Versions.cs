using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.KafkaFormats.SchemaRegistry;
using Tributary.Grains.SchemaRegistry.Associations;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>Reading and deleting versions: soft deletes hide, permanent deletes (only after a soft one) remove.</summary>
public sealed partial class SchemaSubjectGrain
{
    public Task<RegistryResult<IReadOnlyList<int>>> GetVersionsAsync(bool includeDeleted, bool deletedOnly) =>
        Task.FromResult(Answer(_versions.GetVersions(includeDeleted, deletedOnly), numbers => numbers));

    public Task<RegistryResult<SubjectVersion>> GetVersionAsync(string version, bool includeDeleted) =>
        Task.FromResult(Answer(_versions.Find(version, includeDeleted), Describe));

    public Task<RegistryResult<SubjectVersion>> GetLatestWithMetadataAsync(IReadOnlyDictionary<string, string> properties, bool includeDeleted)
    {
        var candidates = _versions.All.Where(v => includeDeleted || !v.Deleted).ToList();
        if (candidates.Count == 0)
        {
            return Task.FromResult(RegistryResult<SubjectVersion>.Fail(RegistryErrors.SubjectNotFound, $"Subject '{Subject}' not found."));
        }

        var match = candidates.LastOrDefault(v => v.Definition.Metadata?.Properties is { } own
            && properties.All(p => own.TryGetValue(p.Key, out var value) && value == p.Value));
        return Task.FromResult(match is null
            ? RegistryResult<SubjectVersion>.Fail(RegistryErrors.SchemaNotFound, "Schema not found")
            : RegistryResult<SubjectVersion>.Ok(Describe(match)));
    }

    public Task<RegistryResult<IReadOnlyList<int>>> GetReferencedByAsync(string version) =>
        Task.FromResult(Answer(_versions.Find(version, includeDeleted: true), v => (IReadOnlyList<int>)v.ReferencedBy.Order().ToList()));

    public async Task AddReferencedByAsync(int version, int id)
    {
        if (_versions.AddReferencedBy(version, id))
        {
            _log.Changed(_versions.Find(version.ToString(System.Globalization.CultureInfo.InvariantCulture), includeDeleted: true).Value!);
            await _log.FlushAsync();
        }
    }

    public async Task<RegistryResult<int>> DeleteVersionAsync(string version, bool permanent)
    {
        if (_settings.IsReadOnly((await Registry.GetDefaultsAsync()).Mode))
        {
            return ReadOnly<int>();
        }

        // An associated subject keeps a live version, as Confluent's registry keeps it.
        if (!permanent && _versions.LiveCount == 1 && _versions.Find(version, includeDeleted: false).IsOk && await IsAssociatedAsync())
        {
            return Refused<int>(AssociationErrors.NoActiveVersion(Subject));
        }

        var deleted = _versions.DeleteVersion(version, permanent);
        if (deleted.Value is not { } stored)
        {
            return RegistryResult<int>.Fail(deleted.ErrorCode, deleted.Message!);
        }

        if (permanent)
        {
            _log.Removed(stored);
            _parsed.Remove(stored.Version);
        }
        else
        {
            _log.Changed(stored);
        }

        await _log.FlushAsync();
        await GrainFactory.SchemaById(stored.Id, Context).SetUsageAsync(Subject, stored.Version, permanent ? null : true);
        await Registry.UpdateSubjectAsync(Subject, _versions.Liveness);
        return RegistryResult<int>.Ok(stored.Version);
    }

    public async Task<RegistryResult<IReadOnlyList<int>>> DeleteAsync(bool permanent)
    {
        if (_settings.IsReadOnly((await Registry.GetDefaultsAsync()).Mode))
        {
            return ReadOnly<IReadOnlyList<int>>();
        }

        if (await IsAssociatedAsync())
        {
            return Refused<IReadOnlyList<int>>(AssociationErrors.SubjectExists(Subject));
        }

        var deleted = _versions.DeleteAll(permanent);
        if (deleted.Value is not { } versions)
        {
            return RegistryResult<IReadOnlyList<int>>.Fail(deleted.ErrorCode, deleted.Message!);
        }

        foreach (var version in versions)
        {
            if (permanent)
            {
                _log.Removed(version);
            }
            else
            {
                _log.Changed(version);
            }
        }

        if (permanent)
        {
            // As Confluent: a subject deleted for good forgets its settings too.
            _parsed.Clear();
            _settings.Clear();
            await SaveSettingsAsync();
        }

        await _log.FlushAsync();
        foreach (var version in versions)
        {
            await GrainFactory.SchemaById(version.Id, Context).SetUsageAsync(Subject, version.Version, permanent ? null : true);
        }

        await Registry.UpdateSubjectAsync(Subject, _versions.Liveness);
        return RegistryResult<IReadOnlyList<int>>.Ok(versions.Select(v => v.Version).ToList());
    }
}

using System.Globalization;
using Tributary.Grains.Interfaces.Schemas;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>Reading and deleting versions: soft deletes hide, permanent deletes (only after a soft one) remove.</summary>
public sealed partial class SchemaSubjectGrain
{
    public Task<RegistryResult<IReadOnlyList<int>>> GetVersionsAsync(bool includeDeleted, bool deletedOnly)
    {
        var versions = state.State.Versions
            .Where(v => deletedOnly ? v.Deleted : includeDeleted || !v.Deleted)
            .Select(v => v.Version)
            .ToList();
        return Task.FromResult(versions.Count == 0 && (state.State.Versions.Count == 0 || !Live.Any() && !includeDeleted && !deletedOnly)
            ? RegistryResult<IReadOnlyList<int>>.Fail(RegistryErrors.SubjectNotFound, $"Subject '{Subject}' not found.")
            : RegistryResult<IReadOnlyList<int>>.Ok(versions));
    }

    public Task<RegistryResult<SubjectVersion>> GetVersionAsync(string version, bool includeDeleted)
    {
        var found = Find(version, includeDeleted);
        return Task.FromResult(found.Value is { } stored
            ? RegistryResult<SubjectVersion>.Ok(Describe(stored))
            : RegistryResult<SubjectVersion>.Fail(found.ErrorCode, found.Message!));
    }

    public Task<RegistryResult<IReadOnlyList<int>>> GetReferencedByAsync(string version)
    {
        var found = Find(version, includeDeleted: true);
        return Task.FromResult(found.Value is { } stored
            ? RegistryResult<IReadOnlyList<int>>.Ok(stored.ReferencedBy.Order().ToList())
            : RegistryResult<IReadOnlyList<int>>.Fail(found.ErrorCode, found.Message!));
    }

    public async Task AddReferencedByAsync(int version, int id)
    {
        if (state.State.Versions.FirstOrDefault(v => v.Version == version) is { } stored && !stored.ReferencedBy.Contains(id))
        {
            stored.ReferencedBy.Add(id);
            await state.WriteStateAsync();
        }
    }

    public async Task<RegistryResult<int>> DeleteVersionAsync(string version, bool permanent)
    {
        if (await ReadOnlyAsync() is { } readOnly)
        {
            return readOnly;
        }

        var found = Find(version, includeDeleted: permanent);
        if (!permanent && found.ErrorCode == RegistryErrors.VersionNotFound && Find(version, includeDeleted: true).Value is { Deleted: true } gone)
        {
            return RegistryResult<int>.Fail(RegistryErrors.VersionSoftDeleted,
                $"Subject '{Subject}' Version {gone.Version} was soft deleted. Set permanent=true to delete permanently");
        }

        if (found.Value is not { } stored)
        {
            return RegistryResult<int>.Fail(found.ErrorCode, found.Message!);
        }

        if (!permanent)
        {
            stored.Deleted = true;
            await state.WriteStateAsync();
            await GrainFactory.GetGrain<ISchemaByIdGrain>(stored.Id).SetUsageAsync(Subject, stored.Version, true);
        }
        else
        {
            if (!stored.Deleted)
            {
                return RegistryResult<int>.Fail(RegistryErrors.VersionNotSoftDeleted,
                    $"Subject '{Subject}' Version {stored.Version} was not deleted first before being permanently deleted");
            }

            if (stored.ReferencedBy.Count > 0)
            {
                return RegistryResult<int>.Fail(RegistryErrors.ReferenceExists,
                    $"One or more references exist to the schema {{subject={Subject}, version={stored.Version}}}.");
            }

            state.State.Versions.Remove(stored);
            _parsed.Remove(stored.Version);

            // As Confluent: numbering goes on from the highest version still stored, soft-deleted ones included.
            state.State.MaxVersion = state.State.Versions.Count == 0 ? 0 : state.State.Versions.Max(v => v.Version);
            await state.WriteStateAsync();
            await GrainFactory.GetGrain<ISchemaByIdGrain>(stored.Id).SetUsageAsync(Subject, stored.Version, null);
        }

        await Registry.UpdateSubjectAsync(Subject, state.State.Versions.Count == 0 ? null : Live.Any());
        return RegistryResult<int>.Ok(stored.Version);
    }

    public async Task<RegistryResult<IReadOnlyList<int>>> DeleteAsync(bool permanent)
    {
        if (await ReadOnlyAsync() is { } readOnly)
        {
            return RegistryResult<IReadOnlyList<int>>.Fail(readOnly.ErrorCode, readOnly.Message!);
        }

        if (state.State.Versions.Count == 0)
        {
            return RegistryResult<IReadOnlyList<int>>.Fail(RegistryErrors.SubjectNotFound, $"Subject '{Subject}' not found.");
        }

        List<int> deleted;
        if (!permanent)
        {
            var live = Live.ToList();
            if (live.Count == 0)
            {
                return RegistryResult<IReadOnlyList<int>>.Fail(RegistryErrors.SubjectSoftDeleted,
                    $"Subject '{Subject}' was soft deleted. Set permanent=true to delete permanently");
            }

            live.ForEach(v => v.Deleted = true);
            await state.WriteStateAsync();
            foreach (var version in live)
            {
                await GrainFactory.GetGrain<ISchemaByIdGrain>(version.Id).SetUsageAsync(Subject, version.Version, true);
            }

            deleted = live.Select(v => v.Version).ToList();
            await Registry.UpdateSubjectAsync(Subject, false);
        }
        else
        {
            if (Live.Any())
            {
                return RegistryResult<IReadOnlyList<int>>.Fail(RegistryErrors.SubjectNotSoftDeleted,
                    $"Subject '{Subject}' was not deleted first before being permanently deleted");
            }

            if (state.State.Versions.FirstOrDefault(v => v.ReferencedBy.Count > 0) is { } referenced)
            {
                return RegistryResult<IReadOnlyList<int>>.Fail(RegistryErrors.ReferenceExists,
                    $"One or more references exist to the schema {{subject={Subject}, version={referenced.Version}}}.");
            }

            deleted = state.State.Versions.Select(v => v.Version).ToList();
            var ids = state.State.Versions.Select(v => (v.Id, v.Version)).ToList();
            state.State.Versions.Clear();
            state.State.MaxVersion = 0;
            state.State.Compatibility = null;
            state.State.Normalize = null;
            state.State.Mode = null;
            _parsed.Clear();
            await state.WriteStateAsync();
            foreach (var (id, version) in ids)
            {
                await GrainFactory.GetGrain<ISchemaByIdGrain>(id).SetUsageAsync(Subject, version, null);
            }

            await Registry.UpdateSubjectAsync(Subject, null);
        }

        return RegistryResult<IReadOnlyList<int>>.Ok(deleted);
    }

    /// <summary>
    /// A version by its spec: "latest" or "-1" (the newest live one; with deleted ones, the newest of all) or a number
    /// from 1 to 2^31-1; errors as Confluent answers them.
    /// </summary>
    private RegistryResult<StoredVersion> Find(string spec, bool includeDeleted)
    {
        var latest = spec is "latest" or "-1";
        var number = 0;
        if (!latest && (!int.TryParse(spec, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number < 1))
        {
            return RegistryResult<StoredVersion>.Fail(RegistryErrors.InvalidVersion,
                $"The specified version '{spec}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
        }

        var candidates = state.State.Versions.Where(v => includeDeleted || !v.Deleted).ToList();
        if (state.State.Versions.Count == 0 || (candidates.Count == 0 && !includeDeleted))
        {
            return RegistryResult<StoredVersion>.Fail(RegistryErrors.SubjectNotFound, $"Subject '{Subject}' not found.");
        }

        var found = latest ? candidates.LastOrDefault() : candidates.FirstOrDefault(v => v.Version == number);
        if (found is null && !latest && state.State.Versions.Any(v => v.Version == number && v.Deleted))
        {
            return RegistryResult<StoredVersion>.Fail(RegistryErrors.VersionNotFound, $"Version {number} not found.");
        }

        return found is null
            ? RegistryResult<StoredVersion>.Fail(RegistryErrors.VersionNotFound, $"Version {spec} not found.")
            : RegistryResult<StoredVersion>.Ok(found);
    }
}

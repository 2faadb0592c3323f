using System.Globalization;
using Tributary.Grains.KafkaFormats.SchemaRegistry;

namespace Tributary.Grains.SchemaRegistry.Subjects;

/// <summary>
/// One subject's versions and what Confluent's registry decides over them: version specs, lookups by schema identity,
/// which versions a compatibility level checks a new schema against, soft and permanent deletes, references that
/// block a permanent delete. The caller parses schemas, allocates ids and persists; this class holds no I/O.
/// </summary>
/// <remarks>
/// Invariants: versions are kept in ascending order of their numbers, unique; a new version is always the highest
/// stored number plus one (numbering goes on past soft-deleted versions, and restarts from the highest one left after
/// permanent deletes, as Confluent's does); at most one live version per schema identity (registering the same schema
/// again answers the live version). Every operation a registration makes is O(1) in the number of versions, except
/// at transitive levels, which check every live version by definition. Not thread-safe: the subject's grain calls it
/// one turn at a time.
/// </remarks>
public sealed class SubjectVersions<TVersion>
    where TVersion : class, ISubjectVersion
{
    private readonly string _subject;
    private readonly List<TVersion> _versions = [];
    private readonly Dictionary<int, TVersion> _byNumber = [];
    private readonly Dictionary<string, TVersion> _liveByIdentity = new(StringComparer.Ordinal);
    private TVersion? _latestLive;
    private int _liveCount;

    public SubjectVersions(string subject, IEnumerable<TVersion> stored)
    {
        _subject = subject;
        foreach (var version in stored.OrderBy(v => v.Version))
        {
            Append(version);
        }
    }

    /// <summary>Every stored version, soft-deleted ones included, oldest first.</summary>
    public IReadOnlyList<TVersion> All => _versions;

    public bool IsEmpty => _versions.Count == 0;

    public bool HasLive => _liveCount > 0;

    /// <summary>How many versions are not deleted.</summary>
    public int LiveCount => _liveCount;

    /// <summary>null for a subject with no versions at all; else whether it has a live one (the registry's subject list).</summary>
    public bool? Liveness => IsEmpty ? null : HasLive;

    /// <summary>The number the next version gets.</summary>
    public int NextVersion => IsEmpty ? 1 : _versions[^1].Version + 1;

    public TVersion? LatestLive => _latestLive;

    /// <summary>The live version that is this schema, when there is one: registering it again answers its id.</summary>
    public TVersion? FindLive(string identity) => _liveByIdentity.GetValueOrDefault(identity);

    /// <summary>POST /subjects/{s}: the newest version that is this schema (live, or any with deleted ones).</summary>
    public SubjectOutcome<TVersion> Lookup(string identity, bool includeDeleted)
    {
        if (IsEmpty)
        {
            return SubjectNotFound<TVersion>();
        }

        var found = FindLive(identity);
        if (found is null && includeDeleted)
        {
            for (var i = _versions.Count - 1; i >= 0 && found is null; i--)
            {
                found = _versions[i].Identity == identity ? _versions[i] : null;
            }
        }

        return found is null ? SubjectOutcome<TVersion>.Fail(RegistryErrors.SchemaNotFound, "Schema not found") : SubjectOutcome<TVersion>.Ok(found);
    }

    /// <summary>
    /// The versions a new schema is checked against at <paramref name="level"/>, oldest first: none at NONE, the
    /// latest live one at plain levels, every live one at transitive levels.
    /// </summary>
    public IReadOnlyList<TVersion> VersionsToCheck(CompatibilityLevel level)
    {
        if (level == CompatibilityLevel.None || _latestLive is null)
        {
            return [];
        }

        return level.IsTransitive() ? _versions.Where(v => !v.Deleted).ToList() : [_latestLive];
    }

    /// <summary>
    /// Adds a new version; its number must be <see cref="NextVersion"/> (or above it, as IMPORT mode gives numbers) and
    /// its schema not already live here.
    /// </summary>
    public void Add(TVersion version)
    {
        if (version.Version < NextVersion)
        {
            throw new ArgumentException($"Version {version.Version} of {_subject} is below the next one ({NextVersion}).", nameof(version));
        }

        if (!version.Deleted && _liveByIdentity.ContainsKey(version.Identity))
        {
            throw new ArgumentException($"{_subject} already has this schema live.", nameof(version));
        }

        Append(version);
    }

    /// <summary>GET /subjects/{s}/versions: the numbers, live ones (or with deleted ones, or deleted ones only).</summary>
    public SubjectOutcome<IReadOnlyList<int>> GetVersions(bool includeDeleted, bool deletedOnly)
    {
        var numbers = _versions.Where(v => deletedOnly ? v.Deleted : includeDeleted || !v.Deleted).Select(v => v.Version).ToList();
        return numbers.Count == 0 && (IsEmpty || !HasLive && !includeDeleted && !deletedOnly)
            ? SubjectNotFound<IReadOnlyList<int>>()
            : SubjectOutcome<IReadOnlyList<int>>.Ok(numbers);
    }

    /// <summary>
    /// A version by its spec: "latest" or "-1" (the newest live one; with deleted ones, the newest of all) or a number
    /// from 1 to 2^31-1; errors as Confluent answers them.
    /// </summary>
    public SubjectOutcome<TVersion> Find(string spec, bool includeDeleted)
    {
        var latest = spec is "latest" or "-1";
        var number = 0;
        if (!latest && (!int.TryParse(spec, NumberStyles.None, CultureInfo.InvariantCulture, out number) || number < 1))
        {
            return SubjectOutcome<TVersion>.Fail(RegistryErrors.InvalidVersion,
                $"The specified version '{spec}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
        }

        if (IsEmpty || !HasLive && !includeDeleted)
        {
            return SubjectNotFound<TVersion>();
        }

        if (latest)
        {
            var newest = includeDeleted ? _versions[^1] : _latestLive!;
            return SubjectOutcome<TVersion>.Ok(newest);
        }

        if (_byNumber.TryGetValue(number, out var found) && (includeDeleted || !found.Deleted))
        {
            return SubjectOutcome<TVersion>.Ok(found);
        }

        return SubjectOutcome<TVersion>.Fail(RegistryErrors.VersionNotFound,
            found is not null ? $"Version {number} not found." : $"Version {spec} not found.");
    }

    /// <summary>
    /// The version a compatibility check names (null: the versions the level names). "latest" of a subject with no
    /// live version is null too: as Confluent, a first schema is compatible with the latest version of no versions.
    /// </summary>
    public SubjectOutcome<TVersion?> CompatibilityTarget(string? spec)
    {
        if (spec is null || spec is "latest" or "-1" && !HasLive)
        {
            return SubjectOutcome<TVersion?>.Ok(null);
        }

        var found = Find(spec, includeDeleted: false);
        return found.IsOk ? SubjectOutcome<TVersion?>.Ok(found.Value) : found.As<TVersion?>();
    }

    /// <summary>Records that schema <paramref name="id"/> references <paramref name="version"/>; false when nothing changed.</summary>
    public bool AddReferencedBy(int version, int id)
    {
        if (!_byNumber.TryGetValue(version, out var stored) || stored.ReferencedBy.Contains(id))
        {
            return false;
        }

        stored.ReferencedBy.Add(id);
        return true;
    }

    /// <summary>
    /// DELETE /subjects/{s}/versions/{v}: a soft delete hides a live version; a permanent one removes a version that
    /// was soft-deleted first and that no schema references. Returns the version deleted.
    /// </summary>
    public SubjectOutcome<TVersion> DeleteVersion(string spec, bool permanent)
    {
        var found = Find(spec, includeDeleted: permanent);
        if (!permanent && found.ErrorCode == RegistryErrors.VersionNotFound && Find(spec, includeDeleted: true).Value is { Deleted: true } gone)
        {
            return SubjectOutcome<TVersion>.Fail(RegistryErrors.VersionSoftDeleted,
                $"Subject '{_subject}' Version {gone.Version} was soft deleted. Set permanent=true to delete permanently");
        }

        if (found.Value is not { } stored)
        {
            return found;
        }

        if (!permanent)
        {
            SoftDelete(stored);
            return found;
        }

        if (!stored.Deleted)
        {
            return SubjectOutcome<TVersion>.Fail(RegistryErrors.VersionNotSoftDeleted,
                $"Subject '{_subject}' Version {stored.Version} was not deleted first before being permanently deleted");
        }

        if (stored.ReferencedBy.Count > 0)
        {
            return ReferenceExists<TVersion>(stored);
        }

        _versions.Remove(stored);
        _byNumber.Remove(stored.Version);
        return found;
    }

    /// <summary>
    /// DELETE /subjects/{s}: a soft delete hides every live version; a permanent one removes every version once none
    /// is live and none is referenced. Returns the versions deleted, oldest first.
    /// </summary>
    public SubjectOutcome<IReadOnlyList<TVersion>> DeleteAll(bool permanent)
    {
        if (IsEmpty)
        {
            return SubjectNotFound<IReadOnlyList<TVersion>>();
        }

        if (!permanent)
        {
            if (!HasLive)
            {
                return SubjectOutcome<IReadOnlyList<TVersion>>.Fail(RegistryErrors.SubjectSoftDeleted,
                    $"Subject '{_subject}' was soft deleted. Set permanent=true to delete permanently");
            }

            var live = _versions.Where(v => !v.Deleted).ToList();
            live.ForEach(SoftDelete);
            return SubjectOutcome<IReadOnlyList<TVersion>>.Ok(live);
        }

        if (HasLive)
        {
            return SubjectOutcome<IReadOnlyList<TVersion>>.Fail(RegistryErrors.SubjectNotSoftDeleted,
                $"Subject '{_subject}' was not deleted first before being permanently deleted");
        }

        if (_versions.FirstOrDefault(v => v.ReferencedBy.Count > 0) is { } referenced)
        {
            return ReferenceExists<IReadOnlyList<TVersion>>(referenced);
        }

        var removed = _versions.ToList();
        _versions.Clear();
        _byNumber.Clear();
        return SubjectOutcome<IReadOnlyList<TVersion>>.Ok(removed);
    }

    private void Append(TVersion version)
    {
        _versions.Add(version);
        _byNumber.Add(version.Version, version);
        if (!version.Deleted)
        {
            _liveByIdentity[version.Identity] = version;
            _latestLive = version;
            _liveCount++;
        }
    }

    private void SoftDelete(TVersion version)
    {
        version.Deleted = true;
        _liveCount--;
        if (_liveByIdentity.TryGetValue(version.Identity, out var live) && ReferenceEquals(live, version))
        {
            _liveByIdentity.Remove(version.Identity);
        }

        if (ReferenceEquals(_latestLive, version))
        {
            _latestLive = _versions.LastOrDefault(v => !v.Deleted);
        }
    }

    private SubjectOutcome<T> SubjectNotFound<T>() =>
        SubjectOutcome<T>.Fail(RegistryErrors.SubjectNotFound, $"Subject '{_subject}' not found.");

    private SubjectOutcome<T> ReferenceExists<T>(TVersion referenced) =>
        SubjectOutcome<T>.Fail(RegistryErrors.ReferenceExists,
            $"One or more references exist to the schema {{subject={_subject}, version={referenced.Version}}}.");
}

using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.KafkaFormats.SchemaRegistry;
using Tributary.Grains.SchemaRegistry;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>
/// IMPORT mode, as migration tools use it: a schema registered with the id (and version) it had elsewhere, without a
/// compatibility check. The id may be new or already name this schema, never another; new ids later go above it.
/// </summary>
public sealed partial class SchemaSubjectGrain
{
    /// <summary>How many version numbers an imported version may skip: each 32 skipped cost the subject an empty record.</summary>
    private const int MaxImportedVersionGap = 1_000;

    /// <summary>The highest id an import may give: room is left for the ids handed out after it, in blocks.</summary>
    private const int MaxImportedId = int.MaxValue - 1_000_000;

    private async Task<RegistryResult<SubjectVersion>> ImportAsync(SchemaSubmission submission, ParsedSchema parsed)
    {
        var id = submission.Id!.Value;
        var definition = submission.Definition with { Schema = parsed.Text };
        var identity = FullIdentity(parsed, definition);
        var number = submission.Version is > 0 and var given ? given : _versions.NextVersion;
        if (_versions.Find(number.ToString(System.Globalization.CultureInfo.InvariantCulture), includeDeleted: true).Value is { } taken)
        {
            return taken.Id == id && taken.Identity == identity
                ? RegistryResult<SubjectVersion>.Ok(Describe(taken))
                : NotPermitted($"Overwrite new schema with version {number} of subject {Subject} is not permitted.");
        }

        if (number < _versions.NextVersion || number > _versions.NextVersion + MaxImportedVersionGap)
        {
            return NotPermitted($"Version {number} of subject {Subject} cannot be imported: versions are imported in ascending order, " +
                $"from {_versions.NextVersion} to at most {_versions.NextVersion + MaxImportedVersionGap}.");
        }

        if (_versions.FindLive(identity) is { } live)
        {
            return live.Id == id
                ? RegistryResult<SubjectVersion>.Ok(Describe(live))
                : NotPermitted($"Subject {Subject} already has this schema as version {live.Version}, with id {live.Id}.");
        }

        if (id > MaxImportedId)
        {
            return NotPermitted($"Schema id {id} cannot be imported: ids above {MaxImportedId} are kept for the ids handed out after it.");
        }

        // Ids handed out from now on are above this one, before it is stored: none can be given to another schema.
        await Registry.ClaimIdAsync(id);
        var byId = GrainFactory.SchemaById(id, Context);
        if (await byId.GetAsync() is { } existing)
        {
            var (stored, _) = await TryParseAsync(new SchemaSubmission(existing.Definition, submission.Normalize));
            if (stored is null || FullIdentity(stored, existing.Definition) != identity)
            {
                return NotPermitted($"Overwrite new schema with id {id} in context {Context} is not permitted.");
            }

            await byId.SetUsageAsync(Subject, number, false);
        }
        else if (!await GrainFactory.GetGrain<ISchemaIdentityGrain>(IdentityKey(parsed.Type, identity)).ImportAsync(id, definition, new SchemaUsage(Subject, number, Deleted: false)))
        {
            return NotPermitted($"Overwrite new schema with id {id} in context {Context} is not permitted.");
        }

        return RegistryResult<SubjectVersion>.Ok(await StoreAsync(definition, number, id, parsed, identity));
    }

    private static RegistryResult<SubjectVersion> NotPermitted(string message) => RegistryResult<SubjectVersion>.Fail(RegistryErrors.OperationNotPermitted, message);
}

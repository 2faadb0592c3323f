using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.KafkaFormats.SchemaRegistry;
using Tributary.Grains.SchemaRegistry.Associations;

namespace Tributary.Grains.Actors.Schemas;

/// <summary>
/// What associations forbid a subject, checked where the subject changes, whichever API asks (as Confluent checks them
/// in its registry, not its resources): a schema referencing a subject a topic owns (a STRONG association), deleting
/// a subject with an association, or soft-deleting its last live version. The associations grain answers lookups
/// while it waits on this grain, so neither waits on the other.
/// </summary>
public sealed partial class SchemaSubjectGrain
{
    private ISchemaAssociationsGrain Associations => GrainFactory.GetGrain<ISchemaAssociationsGrain>(0);

    /// <summary>Why a schema with these references may not be registered (a referenced subject is a topic's own), or null.</summary>
    private async Task<string?> ReferencesOwnedSubjectAsync(IReadOnlyList<SchemaReferenceData> references)
    {
        foreach (var reference in references)
        {
            var target = QualifiedSubject.InContextOf(reference.Subject, Context).Qualified;
            if ((await Associations.FindAsync(new AssociationLookup(target, null, null, null, Association.Topic, null, Association.Strong))).Count > 0)
            {
                return $"Subject '{reference.Subject}' has a strong association and cannot be referenced";
            }
        }

        return null;
    }

    /// <summary>Whether a topic is associated with this subject.</summary>
    private async Task<bool> IsAssociatedAsync() =>
        (await Associations.FindAsync(new AssociationLookup(Subject, null, null, null, Association.Topic, null, null))).Count > 0;

    private static RegistryResult<T> Refused<T>(AssociationRejection rejection) => RegistryResult<T>.Fail(rejection.Code, rejection.Message);
}

namespace Tributary.Grains.SchemaRegistry.Subjects;

/// <summary>
/// One version of a subject as the subject engine decides over it. The grain's stored record implements it, so the
/// engine works on the very objects that are persisted and nothing is copied between layers.
/// </summary>
public interface ISubjectVersion
{
    /// <summary>1, 2, 3 ... within the subject; numbering goes on past soft-deleted versions.</summary>
    int Version { get; }

    /// <summary>The schema's id, shared by every subject that registers the same schema.</summary>
    int Id { get; }

    /// <summary>The format's identity of the schema: equal for two registrations of the same schema.</summary>
    string Identity { get; }

    bool Deleted { get; set; }

    /// <summary>Ids of schemas that reference this version (a permanent delete is refused while there are any).</summary>
    List<int> ReferencedBy { get; }
}

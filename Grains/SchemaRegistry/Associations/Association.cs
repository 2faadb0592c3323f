namespace Tributary.Grains.SchemaRegistry.Associations;

/// <summary>
/// A subject associated with a resource (a topic: its name, its cluster as namespace, its id) as its key or value
/// subject, Confluent's association: STRONG when the topic owns the subject (always frozen, on the subject
/// <see cref="DefaultSubject"/>), WEAK when it shares one. <see cref="Subject"/> is as Confluent returns it: the
/// subject, with its context when not the default one (<c>:.ctx:name</c>).
/// </summary>
public sealed record Association(
    string Subject,
    string Guid,
    string ResourceName,
    string ResourceNamespace,
    string ResourceId,
    string ResourceType,
    string AssociationType,
    string Lifecycle,
    bool Frozen,
    long CreateTimestamp,
    long UpdateTimestamp)
{
    public const string Strong = "STRONG";
    public const string Weak = "WEAK";
    public const string Topic = "topic";
    public const string Key = "key";
    public const string Value = "value";

    /// <summary>Any namespace or any name, in the by-name lookups (Confluent's <c>-</c>).</summary>
    public const string Wildcard = "-";

    /// <summary>The subject a topic owns for its keys or values: <c>:.namespace:name-type</c>, in the namespace's context.</summary>
    public static string DefaultSubject(string resourceNamespace, string resourceName, string associationType) =>
        $":.{resourceNamespace}:{resourceName}-{associationType}";

    /// <summary>Whether a request item asks for what this association already is (its unset lifecycle and frozen matching anything).</summary>
    public bool IsEquivalent(AssociationAsk ask) =>
        Subject == ask.Subject && AssociationType == ask.AssociationType
        && (ask.Lifecycle is null || ask.Lifecycle == Lifecycle) && (ask.Frozen is null || ask.Frozen == Frozen);
}

/// <summary>A create or update request for a resource's associations, as sent (fields unset are null).</summary>
public sealed record ResourceAsk(
    string? ResourceName, string? ResourceNamespace, string? ResourceId, string? ResourceType, IReadOnlyList<AssociationAsk> Associations);

/// <summary>One association asked for: <see cref="HasSchema"/> when the request carries a schema to register with it.</summary>
public sealed record AssociationAsk(string? Subject, string? AssociationType, string? Lifecycle, bool? Frozen, bool HasSchema);

/// <summary>Why a request is refused: Confluent's error code and message.</summary>
public sealed record AssociationRejection(int Code, string Message)
{
    public static AssociationRejection Illegal(string property, string detail) =>
        new(AssociationErrors.IllegalProperty, $"The association specified an invalid value for property: '{property}', detail: {detail}");
}

/// <summary>Confluent's error codes of the associations API.</summary>
public static class AssociationErrors
{
    public const int NotFound = 40410;
    public const int Incompatible = 40901;
    public const int TooManyAssociations = 40902;
    public const int ForResourceExists = 40903;
    public const int ForSubjectExists = 40904;
    public const int StrongForSubjectExists = 40905;
    public const int NoActiveSubjectVersion = 40907;
    public const int Frozen = 40908;
    public const int OperationNotPermitted = 42205;
    public const int ReferenceExists = 42206;
    public const int IllegalProperty = 42212;

    public static AssociationRejection TooMany(int max) => new(TooManyAssociations, $"A maximum of {max} associations already exist");

    public static AssociationRejection ResourceExists(string associationType, string resourceName) =>
        new(ForResourceExists, $"An association of type '{associationType}' already exists for resource '{resourceName}'");

    public static AssociationRejection SubjectExists(string subject) => new(ForSubjectExists, $"An association already exists for subject '{subject}'");

    public static AssociationRejection StrongSubjectExists(string subject) =>
        new(StrongForSubjectExists, $"A strong association already exists for subject '{subject}'");

    public static AssociationRejection NoActiveVersion(string subject) =>
        new(NoActiveSubjectVersion, $"No active (non-deleted) version exists for subject '{subject}'");

    public static AssociationRejection IsFrozen(string associationType, string subject) =>
        new(Frozen, $"The association of type  '{associationType}' is frozen for subject '{subject}'");

    public static AssociationRejection Referenced(string subject) => new(ReferenceExists, $"One or more references exist to the schema {subject}.");

    public static AssociationRejection AssociationNotFound(string resourceId) => new(NotFound, $"Association for '{resourceId}' not found.");
}

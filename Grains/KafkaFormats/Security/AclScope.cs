namespace Tributary.Grains.KafkaFormats.Security;

/// <summary>
/// Whose ACLs a set is: the Kafka listeners' (Kafka's resource types, managed with CreateAcls and DeleteAcls) or the
/// Schema Registry's (its subjects and itself, managed through its own <c>/acls</c> API). Each scope is kept apart, so
/// that a Kafka client never sees or deletes a resource type it cannot name, and is the key of its ACL grain.
/// </summary>
public enum AclScope
{
    Kafka = 0,
    SchemaRegistry = 1,
}

public static class AclScopes
{
    /// <summary>Whether the scope's ACLs may name resources of <paramref name="type"/>.</summary>
    public static bool Serves(this AclScope scope, AclResourceType type) => scope switch
    {
        AclScope.Kafka => type is >= AclResourceType.Topic and <= AclResourceType.User,
        AclScope.SchemaRegistry => type is AclResourceType.Subject or AclResourceType.Registry,
        _ => false,
    };
}

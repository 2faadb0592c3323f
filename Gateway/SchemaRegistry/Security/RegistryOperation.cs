using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.SchemaRegistry.Security;

/// <summary>
/// What a registry ACL allows or denies: the operations of Confluent's Schema Registry ACL authorizer, by the names
/// its <c>sr-acl-cli</c> takes. Each is stored as a Kafka operation on a SUBJECT or the REGISTRY
/// (<see cref="RegistryOperations.Acl"/>), so that Kafka's rules apply: DENY wins, prefixes and <c>*</c> match, and
/// an ALLOW of read, write or delete on a subject lets the subject be listed.
/// </summary>
public enum RegistryOperation
{
    /// <summary>Read a subject's versions and schemas, look a schema up in it, and read schemas by id it uses.</summary>
    SubjectRead,

    /// <summary>Register a version in a subject, and test a schema's compatibility with it.</summary>
    SubjectWrite,

    /// <summary>Delete a subject or one of its versions.</summary>
    SubjectDelete,

    /// <summary>Read a subject's compatibility level and mode.</summary>
    SubjectCompatibilityRead,

    /// <summary>Set or delete a subject's compatibility level and mode.</summary>
    SubjectCompatibilityWrite,

    /// <summary>Read the global compatibility level and mode.</summary>
    GlobalCompatibilityRead,

    /// <summary>Set or delete the global compatibility level and mode.</summary>
    GlobalCompatibilityWrite,

    /// <summary>List every subject, context and association, whatever the subjects' own ACLs.</summary>
    GlobalSubjectsRead,
}

public static class RegistryOperations
{
    private static readonly (RegistryOperation Operation, string Name, AclResourceType Type, AclOperation Acl)[] Table =
    [
        (RegistryOperation.SubjectRead, "SUBJECT_READ", AclResourceType.Subject, AclOperation.Read),
        (RegistryOperation.SubjectWrite, "SUBJECT_WRITE", AclResourceType.Subject, AclOperation.Write),
        (RegistryOperation.SubjectDelete, "SUBJECT_DELETE", AclResourceType.Subject, AclOperation.Delete),
        (RegistryOperation.SubjectCompatibilityRead, "SUBJECT_COMPATIBILITY_READ", AclResourceType.Subject, AclOperation.DescribeConfigs),
        (RegistryOperation.SubjectCompatibilityWrite, "SUBJECT_COMPATIBILITY_WRITE", AclResourceType.Subject, AclOperation.AlterConfigs),
        (RegistryOperation.GlobalCompatibilityRead, "GLOBAL_COMPATIBILITY_READ", AclResourceType.Registry, AclOperation.DescribeConfigs),
        (RegistryOperation.GlobalCompatibilityWrite, "GLOBAL_COMPATIBILITY_WRITE", AclResourceType.Registry, AclOperation.AlterConfigs),
        (RegistryOperation.GlobalSubjectsRead, "GLOBAL_SUBJECTS_READ", AclResourceType.Registry, AclOperation.Describe),
    ];

    /// <summary>Confluent's name of the operation (<c>SUBJECT_READ</c> ...).</summary>
    public static string Name(this RegistryOperation operation) => Table[(int)operation].Name;

    /// <summary>Whether the operation is on a subject (else on the registry as a whole).</summary>
    public static bool OnSubject(this RegistryOperation operation) => Table[(int)operation].Type == AclResourceType.Subject;

    /// <summary>The resource type and Kafka operation an ACL for <paramref name="operation"/> is stored as.</summary>
    public static (AclResourceType Type, AclOperation Operation) Acl(this RegistryOperation operation) =>
        (Table[(int)operation].Type, Table[(int)operation].Acl);

    /// <summary>The operation named <paramref name="name"/> (Confluent's name, in any case), if any.</summary>
    public static bool TryParse(string? name, out RegistryOperation operation)
    {
        foreach (var row in Table)
        {
            if (string.Equals(row.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                operation = row.Operation;
                return true;
            }
        }

        operation = default;
        return false;
    }

    /// <summary>The operation a stored ACL stands for, if any.</summary>
    public static RegistryOperation? Of(AclResourceType type, AclOperation operation)
    {
        foreach (var row in Table)
        {
            if (row.Type == type && row.Acl == operation)
            {
                return row.Operation;
            }
        }

        return null;
    }
}

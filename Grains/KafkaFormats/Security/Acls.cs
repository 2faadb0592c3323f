using Orleans;

namespace Tributary.Grains.KafkaFormats.Security;

/// <summary>Kafka's ACL resource types, with their wire codes.</summary>
public enum AclResourceType : sbyte
{
    Unknown = 0,
    Any = 1,
    Topic = 2,
    Group = 3,
    Cluster = 4,
    TransactionalId = 5,
    DelegationToken = 6,
    User = 7,

    /// <summary>Tributary's own, never on Kafka's wire: a Schema Registry subject (<see cref="AclScope.SchemaRegistry"/>).</summary>
    Subject = 100,

    /// <summary>Tributary's own, never on Kafka's wire: the Schema Registry as a whole, named <see cref="AclBinding.RegistryName"/>.</summary>
    Registry = 101,
}

/// <summary>Kafka's resource pattern types: LITERAL and PREFIXED in bindings; ANY and MATCH in filters too.</summary>
public enum AclPatternType : sbyte
{
    Unknown = 0,
    Any = 1,
    Match = 2,
    Literal = 3,
    Prefixed = 4,
}

/// <summary>Kafka's ACL operations, with their wire codes.</summary>
public enum AclOperation : sbyte
{
    Unknown = 0,
    Any = 1,
    All = 2,
    Read = 3,
    Write = 4,
    Create = 5,
    Delete = 6,
    Alter = 7,
    Describe = 8,
    ClusterAction = 9,
    DescribeConfigs = 10,
    AlterConfigs = 11,
    IdempotentWrite = 12,
    CreateTokens = 13,
    DescribeTokens = 14,
}

/// <summary>Kafka's ACL permission types: ALLOW and DENY in bindings; ANY in filters too.</summary>
public enum AclPermission : sbyte
{
    Unknown = 0,
    Any = 1,
    Deny = 2,
    Allow = 3,
}

/// <summary>
/// One ACL as Kafka writes it (<c>kafka-acls</c>, CreateAcls): who (a principal such as <c>User:alice</c>, or
/// <c>User:*</c>), from where (a host address, or <c>*</c>), may or may not do what to which resources (a literal name,
/// <c>*</c> for every name, or a prefix).
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Security.AclBinding")]
public sealed record AclBinding(
    [property: Id(0)] AclResourceType ResourceType,
    [property: Id(1)] string ResourceName,
    [property: Id(2)] AclPatternType PatternType,
    [property: Id(3)] string Principal,
    [property: Id(4)] string Host,
    [property: Id(5)] AclOperation Operation,
    [property: Id(6)] AclPermission Permission)
{
    /// <summary>The name of the one CLUSTER resource.</summary>
    public const string ClusterName = "kafka-cluster";

    /// <summary>The name of the one REGISTRY resource: the Schema Registry's global settings and lists.</summary>
    public const string RegistryName = "schema-registry";

    /// <summary>A literal resource name, or a host or principal name, that stands for every one.</summary>
    public const string Wildcard = "*";
}

/// <summary>
/// Which ACLs a DescribeAcls or DeleteAcls names: each field either a value the binding must have, or a wildcard
/// (null names, ANY types); <see cref="AclPatternType.Match"/> names every binding that applies to the resource named.
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Security.AclBindingFilter")]
public sealed record AclBindingFilter(
    [property: Id(0)] AclResourceType ResourceType,
    [property: Id(1)] string? ResourceName,
    [property: Id(2)] AclPatternType PatternType,
    [property: Id(3)] string? Principal,
    [property: Id(4)] string? Host,
    [property: Id(5)] AclOperation Operation,
    [property: Id(6)] AclPermission Permission)
{
    /// <summary>Whether <paramref name="binding"/> is one this filter names.</summary>
    public bool Matches(AclBinding binding) =>
        (ResourceType == AclResourceType.Any || ResourceType == binding.ResourceType)
        && MatchesResource(binding)
        && (Principal is null || Principal == binding.Principal)
        && (Host is null || Host == binding.Host)
        && (Operation == AclOperation.Any || Operation == binding.Operation)
        && (Permission == AclPermission.Any || Permission == binding.Permission);

    private bool MatchesResource(AclBinding binding) => PatternType switch
    {
        AclPatternType.Any => ResourceName is null || ResourceName == binding.ResourceName,
        AclPatternType.Match => ResourceName is null
            || (binding.PatternType == AclPatternType.Literal && (binding.ResourceName == ResourceName || binding.ResourceName == AclBinding.Wildcard))
            || (binding.PatternType == AclPatternType.Prefixed && ResourceName.StartsWith(binding.ResourceName, StringComparison.Ordinal)),
        _ => PatternType == binding.PatternType && (ResourceName is null || ResourceName == binding.ResourceName),
    };
}

/// <summary>The cluster's ACLs at one <see cref="Version"/>: what every broker's authorizer is built from.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Security.AclSnapshot")]
public sealed record AclSnapshot([property: Id(0)] long Version, [property: Id(1)] IReadOnlyList<AclBinding> Bindings);

/// <summary>What became of one binding of a CreateAcls: created (or already there), or why not.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Security.AclCreationOutcome")]
public sealed record AclCreationOutcome([property: Id(0)] ErrorCode Error, [property: Id(1)] string? Message);

/// <summary>What one filter of a DeleteAcls or a DescribeAcls found (and, for a deletion, removed), or why not.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Security.AclFilterOutcome")]
public sealed record AclFilterOutcome(
    [property: Id(0)] ErrorCode Error, [property: Id(1)] string? Message, [property: Id(2)] IReadOnlyList<AclBinding> Bindings);

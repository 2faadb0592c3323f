using Tributary.Grains.Connect.Api.Config;

namespace Tributary.Grains.Connect.Mirror.Policies;

/// <summary>
/// The replication policies <c>replication.policy.class</c> may name: Kafka's two, by their Java class names, simple
/// names or C# names. Custom policies are Java classes MirrorMaker loads from its class path; there is none here.
/// </summary>
public static class ReplicationPolicies
{
    private static readonly string[] DefaultNames =
        [DefaultReplicationPolicy.ClassName, "DefaultReplicationPolicy", typeof(DefaultReplicationPolicy).FullName!];

    private static readonly string[] IdentityNames =
        [IdentityReplicationPolicy.ClassName, "IdentityReplicationPolicy", typeof(IdentityReplicationPolicy).FullName!];

    public static readonly IConfigValidator Validator = Validators.From(
        (name, value) =>
        {
            if (value is not string className || !IsKnown(className))
            {
                throw new ConfigException(name, value,
                    $"Unknown replication policy; use {DefaultReplicationPolicy.ClassName} or {IdentityReplicationPolicy.ClassName}");
            }
        },
        "[DefaultReplicationPolicy, IdentityReplicationPolicy]");

    public static bool IsKnown(string className) => DefaultNames.Contains(className.Trim()) || IdentityNames.Contains(className.Trim());

    /// <summary>The policy named, configured as Kafka configures it from the connector's properties.</summary>
    public static IReplicationPolicy Create(string className, string separator, bool internalTopicSeparatorEnabled, string? sourceClusterAlias) =>
        IdentityNames.Contains(className.Trim())
            ? new IdentityReplicationPolicy(sourceClusterAlias, separator, internalTopicSeparatorEnabled)
            : DefaultNames.Contains(className.Trim())
                ? new DefaultReplicationPolicy(separator, internalTopicSeparatorEnabled)
                : throw new ConfigException(MirrorSourceConfig.ReplicationPolicyClass, className, "Unknown replication policy");
}

namespace Tributary.Gateway.Kafka.Acls;

/// <summary>
/// Whether the Kafka listeners check ACLs, and how (configuration section <c>Tributary:Kafka:Authorizer</c>): Kafka's
/// <c>authorizer.class.name</c>, <c>super.users</c> and <c>allow.everyone.if.no.acl.found</c>. Without a class name,
/// as in Kafka, every principal may do everything and the ACL APIs answer SECURITY_DISABLED.
/// </summary>
public sealed class KafkaAuthorizerOptions
{
    public const string Section = "Tributary:Kafka:Authorizer";

    /// <summary>Kafka's KRaft authorizer, whose rules the brokers follow.</summary>
    public const string StandardAuthorizer = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    /// <summary>Kafka's ZooKeeper-era authorizer, with the same rules.</summary>
    public const string ZooKeeperAuthorizer = "kafka.security.authorizer.AclAuthorizer";

    /// <summary>Kafka's <c>authorizer.class.name</c>: empty (none, the default) or one of Kafka's two ACL authorizers.</summary>
    public string ClassName { get; set; } = "";

    /// <summary>Kafka's <c>super.users</c>: principals separated by semicolons, who may do anything (<c>User:admin;User:ops</c>).</summary>
    public string SuperUsers { get; set; } = "";

    /// <summary>
    /// Kafka's <c>allow.everyone.if.no.acl.found</c>: whether a resource that no ACL names is open to everyone. Default
    /// false, as in Kafka: only super users and what the ACLs allow.
    /// </summary>
    public bool AllowEveryoneIfNoAclFound { get; set; }

    public bool Enabled => ClassName.Length > 0;

    /// <summary>Why the settings cannot be honoured, or null.</summary>
    public string? Invalid() =>
        ClassName is "" or StandardAuthorizer or ZooKeeperAuthorizer ? null
        : $"{Section}:ClassName: {ClassName} is not served; use {StandardAuthorizer} (or {ZooKeeperAuthorizer}), or leave it empty for none.";
}

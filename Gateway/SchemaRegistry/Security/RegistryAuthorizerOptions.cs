namespace Tributary.Gateway.SchemaRegistry.Security;

/// <summary>
/// Whether the Schema Registry checks ACLs of its own (configuration section <c>Tributary:SchemaRegistry:Authorizer</c>):
/// Confluent's <c>confluent.schema.registry.authorizer.class</c>, with Kafka's <c>super.users</c> and
/// <c>allow.everyone.if.no.acl.found</c> for the rest. The callers are the principals HTTP authentication names
/// (<c>User:alice</c>), else <c>User:ANONYMOUS</c>.
/// </summary>
public sealed class RegistryAuthorizerOptions
{
    public const string Section = "Tributary:SchemaRegistry:Authorizer";

    /// <summary>The class Confluent's Schema Registry takes for ACLs of its own, whose operations these are.</summary>
    public const string SchemaRegistryAclAuthorizer = "io.confluent.kafka.schemaregistry.security.authorizer.schemaregistryacl.SchemaRegistryAclAuthorizer";

    /// <summary>Empty (no authorizer: every caller may do everything, the default) or <see cref="SchemaRegistryAclAuthorizer"/>.</summary>
    public string ClassName { get; set; } = "";

    /// <summary>Principals separated by semicolons who may do anything, and alone manage the registry's ACLs (<c>User:admin</c>).</summary>
    public string SuperUsers { get; set; } = "";

    /// <summary>Whether a subject (or the registry) that no ACL names is open to every caller. Default false.</summary>
    public bool AllowEveryoneIfNoAclFound { get; set; }

    public bool Enabled => ClassName.Length > 0;

    /// <summary>Why the settings cannot be honoured, or null.</summary>
    public string? Invalid() =>
        ClassName is "" or SchemaRegistryAclAuthorizer ? null
        : $"{Section}:ClassName: {ClassName} is not served; use {SchemaRegistryAclAuthorizer}, or leave it empty for none.";
}

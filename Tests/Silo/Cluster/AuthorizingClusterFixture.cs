namespace Tributary.Tests.Silo.Cluster;

/// <summary>
/// A three-silo cluster whose brokers run Kafka's standard authorizer with <c>allow.everyone.if.no.acl.found</c>: a
/// resource no ACL names is open to everyone (here the anonymous principal of the PLAINTEXT listeners), and one an ACL
/// names follows it.
/// </summary>
public sealed class AuthorizingClusterFixture : RedisClusterFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>
    {
        ["Tributary__Kafka__Authorizer__ClassName"] = "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        ["Tributary__Kafka__Authorizer__AllowEveryoneIfNoAclFound"] = "true",
    };
}

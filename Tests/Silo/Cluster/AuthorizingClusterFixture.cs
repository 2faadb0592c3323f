using Tributary.Tests.TestKit;

namespace Tributary.Tests.Silo.Cluster;

/// <summary>
/// A three-silo cluster whose brokers run Kafka's standard authorizer with <c>allow.everyone.if.no.acl.found</c> (a
/// resource no ACL names is open to everyone, here the anonymous principal of the PLAINTEXT listeners; one an ACL names
/// follows it), whose Schema Registry checks ACLs of its own for its Basic users (<c>admin</c>, a super user, and
/// <c>alice</c>), and whose silos talk to each other over mutual TLS (<c>Tributary:Cluster:Ssl</c>): a PEM keystore per
/// silo issued by a test authority, and that authority as the truststore. Each silo works out its share of the consumer
/// groups' lag every second.
/// </summary>
public sealed class AuthorizingClusterFixture : RedisClusterFixture
{
    private readonly TestCertificates _certificates = new();

    protected override IReadOnlyDictionary<string, string> Settings
    {
        get
        {
            // One certificate the silos share, as a StatefulSet's pods mount one secret.
            var keystore = _certificates.WritePem("silo.pem", _certificates.IssuePeer("CN=tributary-silo"));
            var truststore = _certificates.AuthorityPem;
            return new Dictionary<string, string>
            {
                ["Tributary__Kafka__Authorizer__ClassName"] = "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                ["Tributary__Kafka__Authorizer__AllowEveryoneIfNoAclFound"] = "true",
                ["Tributary__SchemaRegistry__Authentication__Method"] = "BASIC",
                ["Tributary__SchemaRegistry__Authentication__Users__admin"] = "admin-secret",
                ["Tributary__SchemaRegistry__Authentication__Users__alice"] = "alice-secret",
                ["Tributary__SchemaRegistry__Authorizer__ClassName"] = "io.confluent.kafka.schemaregistry.security.authorizer.schemaregistryacl.SchemaRegistryAclAuthorizer",
                ["Tributary__SchemaRegistry__Authorizer__SuperUsers"] = "User:admin",
                ["Tributary__Cluster__Ssl__KeystoreType"] = "PEM",
                ["Tributary__Cluster__Ssl__KeystoreLocation"] = keystore,
                ["Tributary__Cluster__Ssl__TruststoreType"] = "PEM",
                ["Tributary__Cluster__Ssl__TruststoreLocation"] = truststore,
                // Consumer lag worked out every second rather than every 30.
                ["Tributary__Metrics__ConsumerLagInterval"] = "00:00:01",
                ["Tributary__Metrics__PartitionStateInterval"] = "00:00:01",
            };
        }
    }

    /// <summary>A keystore whose certificate no authority of the cluster's truststore issued: a silo the others must refuse.</summary>
    public string UntrustedKeystore() => _certificates.WritePem("untrusted-silo.pem", TestCertificates.SelfSigned("CN=tributary-silo"));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _certificates.Dispose();
    }
}

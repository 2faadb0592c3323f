using System.Security.Cryptography.X509Certificates;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.RestProxy;

/// <summary>
/// The REST Proxy over mutual TLS without HTTP authentication: a caller is the principal its client certificate maps
/// to (<c>User:CN=alice,O=Acme</c> with the DEFAULT rule), as on a Kafka SSL listener, and Kafka's ACLs apply to it.
/// </summary>
public sealed class RestProxyCertificateTests(RestProxyCertificateTests.CertificateBroker broker) : IClassFixture<RestProxyCertificateTests.CertificateBroker>
{
    public sealed class CertificateBroker : BrokerFixture
    {
        public TestCertificates Certificates { get; } = new();

        protected override IReadOnlyList<string> Settings
        {
            get
            {
                var keystore = Path.Combine(Certificates.Directory, "rest.p12");
                if (!File.Exists(keystore))
                {
                    Certificates.WritePkcs12("rest.p12", Certificates.IssueServer());
                }

                return
                [
                    "--Tributary:Kafka:Authorizer:ClassName", "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
                    // The PLAINTEXT listener's anonymous principal is the fixture's own set-up.
                    "--Tributary:Kafka:Authorizer:SuperUsers", "User:ANONYMOUS",
                    "--Tributary:RestProxy:Ssl:KeystoreLocation", keystore,
                    "--Tributary:RestProxy:Ssl:KeystorePassword", TestCertificates.Password,
                    "--Tributary:RestProxy:Ssl:TruststoreType", "PEM",
                    "--Tributary:RestProxy:Ssl:TruststoreLocation", Certificates.AuthorityPem,
                    "--Tributary:RestProxy:Ssl:ClientAuth", "required",
                ];
            }
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            Certificates.Dispose();
        }
    }

    private RestClient As(X509Certificate2 certificate)
    {
        var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        handler.ClientCertificates.Add(certificate);
        return new RestClient(new HttpClient(handler) { BaseAddress = new Uri($"https://localhost:{broker.RestPort}") });
    }

    [Fact]
    public async Task ACallersCertificate_NamesThePrincipalKafkasAclsAreCheckedFor()
    {
        await broker.CreateAsync("rest-certificate", 1);
        using var alice = As(broker.Certificates.IssueClient("CN=alice,O=Acme"));
        using var bob = As(broker.Certificates.IssueClient("CN=bob,O=Acme"));
        var records = new { records = new[] { new { value = "signed" } } };

        Assert.Equal(403, (await alice.ProduceAsync("/topics/rest-certificate", "json", records)).Status);
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await admin.CreateAclsAsync([new AclBinding
            {
                Pattern = new ResourcePattern { Type = ResourceType.Topic, Name = "rest-certificate", ResourcePatternType = ResourcePatternType.Literal },
                Entry = new AccessControlEntry { Principal = "User:CN=alice,O=Acme", Host = "*", Operation = AclOperation.Write, PermissionType = AclPermissionType.Allow },
            }]);
        }

        await Wait.UntilAsync(async () => (await alice.ProduceAsync("/topics/rest-certificate", "json", records)).Status == 200,
            TimeSpan.FromSeconds(10), "alice's certificate allowed to produce once granted");
        Assert.Equal(403, (await bob.ProduceAsync("/topics/rest-certificate", "json", records)).Status);
    }
}

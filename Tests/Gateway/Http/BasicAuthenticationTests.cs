using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Confluent.SchemaRegistry;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Http;

/// <summary>
/// HTTP Basic authentication on the Schema Registry, the REST Proxy and Connect, set up as Confluent's
/// <c>authentication.method=BASIC</c> with a Jetty realm file or users in the configuration: Confluent's registry
/// client with <c>basic.auth.user.info</c> registers and reads schemas; a request without credentials or with wrong
/// ones gets 401 with a challenge and Confluent's error body; a user without an allowed role gets 403; a changed
/// users file holds without a restart.
/// </summary>
public sealed class BasicAuthenticationTests(BasicAuthenticationTests.AuthenticatingBroker broker) : IClassFixture<BasicAuthenticationTests.AuthenticatingBroker>
{
    /// <summary>A password whose Authorization header is over 2 KB.</summary>
    public static readonly string LongPassword = new('x', 1600);

    public sealed class AuthenticatingBroker : BrokerFixture
    {
        private readonly TempDirectory _directory = new();

        public string UsersFile => _directory.Combine("password-file");

        public int SaslPort { get; } = TestPorts.Next();

        protected override IReadOnlyList<string> Settings
        {
            get
            {
                if (!File.Exists(UsersFile))
                {
                    WriteUsers("");
                }

                return
                [
                    "--Tributary:SchemaRegistry:Authentication:Method", "BASIC",
                    "--Tributary:SchemaRegistry:Authentication:Realm", "SchemaRegistry-Props",
                    "--Tributary:SchemaRegistry:Authentication:Roles", "admin,developer",
                    "--Tributary:SchemaRegistry:Authentication:UsersFile", UsersFile,
                    "--Tributary:Kafka:Listeners", $"PLAINTEXT://:{KafkaPort},SASL_PLAINTEXT://:{SaslPort}",
                    "--Tributary:Kafka:Sasl:EnabledMechanisms", "PLAIN,SCRAM-SHA-512",
                    "--Tributary:Kafka:Sasl:PlainUsers:kafka-plain", "kafka-plain-secret",
                    "--Tributary:RestProxy:Authentication:Method", "BASIC",
                    "--Tributary:RestProxy:Authentication:KafkaUsers", "true",
                    "--Tributary:RestProxy:Authentication:Users:alice", "alice-secret,user",
                    "--Tributary:RestProxy:Authentication:Users:long", LongPassword,
                    "--Tributary:Connect:Authentication:Method", "BASIC",
                    "--Tributary:Connect:Authentication:Users:ops", "ops-secret",
                ];
            }
        }

        /// <summary>A Jetty realm file: a plain, an obfuscated ("password") and an MD5 ("fred-secret") password, and <paramref name="more"/>.</summary>
        public void WriteUsers(string more)
        {
            var md5 = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes("fred-secret")));
            var next = UsersFile + ".next";
            File.WriteAllText(next, $"""
                # user: password[,role ...]
                admin: admin-secret,admin
                jetty: OBF:1v2j1uum1xtv1zej1zer1xtn1uvk1v1v,developer
                fred: MD5:{md5},developer
                reader: reader-secret,user
                {more}
                """);
            File.Move(next, UsersFile, overwrite: true);
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            _directory.Dispose();
        }
    }

    private CachedSchemaRegistryClient Registry(string? userInfo) => new(new SchemaRegistryConfig
    {
        Url = broker.RegistryUrl,
        BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo,
        BasicAuthUserInfo = userInfo,
    });

    private static HttpClient Http(string? user = null, string? password = null)
    {
        var http = new HttpClient();
        if (user is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        return http;
    }

    [Theory]
    [InlineData("admin:admin-secret")]
    [InlineData("jetty:password")]
    [InlineData("fred:fred-secret")]
    public async Task TheRegistryClient_WithAUsersCredentials_RegistersAndReadsSchemas(string userInfo)
    {
        using var registry = Registry(userInfo);
        var subject = "auth-" + userInfo.Split(':')[0] + "-value";
        var id = await registry.RegisterSchemaAsync(subject, new Schema("""{"type":"string"}""", SchemaType.Avro));

        Assert.Equal("\"string\"", (await registry.GetSchemaAsync(id)).SchemaString);
    }

    [Theory]
    [InlineData(null, 401)]
    [InlineData("admin:wrong", 401)]
    [InlineData("nobody:admin-secret", 401)]
    [InlineData("reader:reader-secret", 403)]
    public async Task TheRegistry_RefusesMissingOrWrongCredentials_AndUsersWithoutAnAllowedRole(string? userInfo, int status)
    {
        using var registry = Registry(userInfo);
        var refused = await Assert.ThrowsAsync<SchemaRegistryException>(() => registry.GetAllSubjectsAsync());
        Assert.Equal((HttpStatusCode)status, refused.Status);
    }

    [Fact]
    public async Task ARefusal_ChallengesForTheRealm_WithConfluentsErrorBody()
    {
        using var http = Http();
        using var response = await http.GetAsync($"{broker.RegistryUrl}/subjects");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        Assert.Contains("realm=\"SchemaRegistry-Props\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(401, body.GetProperty("error_code").GetInt32());
    }

    [Fact]
    public async Task TheRestProxyAndConnect_TakeTheirOwnUsers()
    {
        using (var anonymous = Http())
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{broker.RestUrl}/topics")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"{broker.ConnectUrl}/connectors")).StatusCode);
        }

        using (var alice = Http("alice", "alice-secret"))
        {
            Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"{broker.RestUrl}/topics")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await alice.GetAsync($"{broker.ConnectUrl}/connectors")).StatusCode);
        }

        using (var longCredentials = Http("long", LongPassword))
        {
            Assert.Equal(HttpStatusCode.OK, (await longCredentials.GetAsync($"{broker.RestUrl}/topics")).StatusCode);
        }

        using var ops = Http("ops", "ops-secret");
        Assert.Equal(HttpStatusCode.OK, (await ops.GetAsync($"{broker.ConnectUrl}/connectors")).StatusCode);
    }

    [Fact]
    public async Task AChangedUsersFile_HoldsWithoutARestart()
    {
        using var carol = Registry("carol:carol-secret");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Assert.ThrowsAsync<SchemaRegistryException>(() => carol.GetAllSubjectsAsync())).Status);

        broker.WriteUsers("carol: carol-secret,admin");
        for (var deadline = DateTime.UtcNow.AddSeconds(10); ; await Task.Delay(200))
        {
            try
            {
                await carol.GetAllSubjectsAsync();
                break;
            }
            catch (SchemaRegistryException) when (DateTime.UtcNow < deadline)
            {
            }
        }
    }

    [Fact]
    public async Task WithKafkaUsers_TheSaslUsersPasswordsServe_PlainsAndScrams_AsTheirCredentialsChange()
    {
        using (var plain = Http("kafka-plain", "kafka-plain-secret"))
        {
            Assert.Equal(HttpStatusCode.OK, (await plain.GetAsync($"{broker.RestUrl}/topics")).StatusCode);
        }

        using var admin = new Confluent.Kafka.AdminClientBuilder(new Confluent.Kafka.AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        await admin.AlterUserScramCredentialsAsync([Scram("dana", "first-secret")]);
        using (var dana = Http("dana", "first-secret"))
        {
            // Twice: the second time from what the first check remembered.
            Assert.Equal(HttpStatusCode.OK, (await dana.GetAsync($"{broker.RestUrl}/topics")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await dana.GetAsync($"{broker.RestUrl}/topics")).StatusCode);
        }

        await admin.AlterUserScramCredentialsAsync([Scram("dana", "second-secret")]);
        using (var before = Http("dana", "first-secret"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync($"{broker.RestUrl}/topics")).StatusCode);
        }

        using (var after = Http("dana", "second-secret"))
        {
            Assert.Equal(HttpStatusCode.OK, (await after.GetAsync($"{broker.RestUrl}/topics")).StatusCode);
        }

        // Only where KafkaUsers is set: the registry's users are its realm file's.
        using var registry = Http("kafka-plain", "kafka-plain-secret");
        Assert.Equal(HttpStatusCode.Unauthorized, (await registry.GetAsync($"{broker.RegistryUrl}/subjects")).StatusCode);
    }

    private static Confluent.Kafka.Admin.UserScramCredentialUpsertion Scram(string user, string password) => new()
    {
        User = user,
        ScramCredentialInfo = new Confluent.Kafka.Admin.ScramCredentialInfo { Mechanism = Confluent.Kafka.Admin.ScramMechanism.ScramSha512, Iterations = 4096 },
        Password = Encoding.UTF8.GetBytes(password),
    };
}

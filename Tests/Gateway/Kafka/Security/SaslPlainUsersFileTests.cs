using Confluent.Kafka;
using Tributary.Gateway.Kafka.Security;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Kafka.Security;

/// <summary>
/// PLAIN's users from a JAAS file, as a Kafka broker's <c>kafka_server_jaas.conf</c> holds them: its users
/// authenticate, and a change to the file (a user added, another removed) holds within a couple of seconds, without a
/// restart.
/// </summary>
public sealed class SaslPlainUsersFileTests(SaslPlainUsersFileTests.UsersFileBroker broker) : IClassFixture<SaslPlainUsersFileTests.UsersFileBroker>
{
    public sealed class UsersFileBroker : BrokerFixture
    {
        private readonly TempDirectory _directory = new();

        public int SaslPort { get; } = TestPorts.Next();

        public string UsersFile => _directory.Combine("kafka_server_jaas.conf");

        protected override IReadOnlyList<string> Settings
        {
            get
            {
                if (!File.Exists(UsersFile))
                {
                    Write("carol", "carol-secret");
                }

                return
                [
                    "--Tributary:Kafka:Listeners", $"PLAINTEXT://:{KafkaPort},SASL_PLAINTEXT://:{SaslPort}",
                    "--Tributary:Kafka:Sasl:PlainUsersFile", UsersFile,
                ];
            }
        }

        /// <summary>Writes the file as a broker's JAAS file, with one user besides the broker's own credentials.</summary>
        public void Write(string user, string password)
        {
            var next = UsersFile + ".next";
            File.WriteAllText(next, $$"""
                KafkaServer {
                    org.apache.kafka.common.security.plain.PlainLoginModule required
                    username="admin"
                    password="admin-secret"
                    user_admin="admin-secret"
                    user_{{user}}="{{password}}";
                };
                """);
            File.Move(next, UsersFile, overwrite: true);
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            _directory.Dispose();
        }
    }

    private ClientConfig Sasl(string user, string password) => new()
    {
        BootstrapServers = $"localhost:{broker.SaslPort}",
        SecurityProtocol = SecurityProtocol.SaslPlaintext,
        SaslMechanism = SaslMechanism.Plain,
        SaslUsername = user,
        SaslPassword = password,
    };

    [Fact]
    public async Task TheFilesUsersAuthenticate_AndAChangedFileHoldsWithoutARestart()
    {
        AssertAuthenticates(Sasl("carol", "carol-secret"));
        AssertAuthenticates(Sasl("admin", "admin-secret"));

        broker.Write("dave", "dave-secret");
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline && !Authenticates(Sasl("dave", "dave-secret"));)
        {
            await Task.Delay(200);
        }

        AssertAuthenticates(Sasl("dave", "dave-secret"));
        Assert.Equal(ErrorCode.Local_Authentication, ClientErrors.First(Sasl("carol", "carol-secret")).Code);
    }

    [Fact]
    public void UsersAreReadAsKafkasPlainLoginModuleTakesThem()
    {
        var users = JaasPlainUsers.Read("""
            KafkaServer { org.apache.kafka.common.security.plain.PlainLoginModule required
              username="admin" password="admin-secret"
              user_admin="admin-secret" user_alice = "with \"quotes\" and \\ backslash";
            };
            """);

        Assert.Equal(new Dictionary<string, string> { ["admin"] = "admin-secret", ["alice"] = "with \"quotes\" and \\ backslash" }, users);
        Assert.Throws<InvalidOperationException>(() => JaasPlainUsers.Read("""user_a="1" user_a="2";"""));
    }

    private static void AssertAuthenticates(ClientConfig config) => Assert.True(Authenticates(config), $"{config.SaslUsername} did not authenticate");

    private static bool Authenticates(ClientConfig config)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig(config)).Build();
        try
        {
            admin.GetMetadata(TimeSpan.FromSeconds(5));
            return true;
        }
        catch (KafkaException)
        {
            return false;
        }
    }
}

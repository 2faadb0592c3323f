using System.Text;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Kafka.Security;

/// <summary>
/// SCRAM-SHA-256 and SCRAM-SHA-512: users created and removed with the AdminClient (AlterUserScramCredentials), told
/// with DescribeUserScramCredentials (mechanisms and iterations, no keys), and authenticated by librdkafka's own SCRAM
/// client; a wrong password and an unknown user get the same refusal.
/// </summary>
public sealed class SaslScramTests(SaslScramTests.ScramBroker broker) : IClassFixture<SaslScramTests.ScramBroker>
{
    public sealed class ScramBroker : BrokerFixture
    {
        public int SaslPort { get; } = TestPorts.Next();

        public string SaslBootstrap => $"localhost:{SaslPort}";

        protected override IReadOnlyList<string> Settings =>
        [
            "--Tributary:Kafka:Listeners", $"PLAINTEXT://:{KafkaPort},sasl_plaintext://:{SaslPort}",
            "--Tributary:Kafka:Sasl:EnabledMechanisms", "SCRAM-SHA-512,SCRAM-SHA-256",
        ];
    }

    private ClientConfig Scram(string user, string password, SaslMechanism mechanism) => new()
    {
        BootstrapServers = broker.SaslBootstrap,
        SecurityProtocol = SecurityProtocol.SaslPlaintext,
        SaslMechanism = mechanism,
        SaslUsername = user,
        SaslPassword = password,
    };

    private IAdminClient Admin() => new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();

    private static UserScramCredentialUpsertion Upsert(string user, ScramMechanism mechanism, string password, int iterations = 8192) => new()
    {
        User = user,
        ScramCredentialInfo = new ScramCredentialInfo { Mechanism = mechanism, Iterations = iterations },
        Password = Encoding.UTF8.GetBytes(password),
    };

    [Fact]
    public async Task UsersCreatedWithTheAdminClient_ProduceAndConsume_WithEitherMechanism_UntilTheirCredentialIsRemoved()
    {
        const string topic = "sasl-scram";
        await broker.CreateAsync(topic, 1);
        using var admin = Admin();
        await admin.AlterUserScramCredentialsAsync([Upsert("carol", ScramMechanism.ScramSha256, "carol-secret"), Upsert("dave", ScramMechanism.ScramSha512, "dave-secret", 4096)]);

        var described = await admin.DescribeUserScramCredentialsAsync(["carol", "dave"]);
        Assert.Equal(
            ["carol ScramSha256 8192", "dave ScramSha512 4096"],
            described.UserScramCredentialsDescriptions.SelectMany(d => d.ScramCredentialInfos, (d, c) => $"{d.User} {c.Mechanism} {c.Iterations}"));

        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig(Scram("carol", "carol-secret", SaslMechanism.ScramSha256))).Build())
        {
            await producer.ProduceAsync(topic, new Message<Null, string> { Value = "from carol" });
        }

        using (var consumer = new ConsumerBuilder<Null, string>(new ConsumerConfig(Scram("dave", "dave-secret", SaslMechanism.ScramSha512))
        {
            GroupId = "sasl-scram-group",
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build())
        {
            consumer.Subscribe(topic);
            Assert.Equal(["from carol"], ConsumedValues.Take(consumer, 1, TimeSpan.FromSeconds(30)));
            consumer.Close();
        }

        await admin.AlterUserScramCredentialsAsync([new UserScramCredentialDeletion { User = "carol", Mechanism = ScramMechanism.ScramSha256 }]);
        Assert.Equal(ErrorCode.Local_Authentication, ClientErrors.First(Scram("carol", "carol-secret", SaslMechanism.ScramSha256)).Code);
        var gone = await Assert.ThrowsAsync<DescribeUserScramCredentialsException>(() => admin.DescribeUserScramCredentialsAsync(["carol"]));
        Assert.Equal(ErrorCode.ResourceNotFound, Assert.Single(gone.Results.UserScramCredentialsDescriptions).Error.Code);
    }

    [Theory]
    [InlineData("erin", "wrong")]
    [InlineData("nobody", "erin-secret")]
    public async Task AWrongPasswordOrAnUnknownUser_IsRefusedWithKafkasMessage(string user, string password)
    {
        using var admin = Admin();
        await admin.AlterUserScramCredentialsAsync([Upsert("erin", ScramMechanism.ScramSha512, "erin-secret")]);

        var error = ClientErrors.First(Scram(user, password, SaslMechanism.ScramSha512));

        Assert.Equal(ErrorCode.Local_Authentication, error.Code);
        Assert.Contains("Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CredentialsKafkaRefuses_AreRefusedPerUser_WithKafkasErrors_AndTheOthersAreSet()
    {
        using var admin = Admin();
        var refused = await Assert.ThrowsAsync<AlterUserScramCredentialsException>(() => admin.AlterUserScramCredentialsAsync(
        [
            Upsert("few-iterations", ScramMechanism.ScramSha256, "x", iterations: 1000),
            Upsert("many-iterations", ScramMechanism.ScramSha256, "x", iterations: 20_000),
            new UserScramCredentialDeletion { User = "never-created", Mechanism = ScramMechanism.ScramSha256 },
            Upsert("twice", ScramMechanism.ScramSha256, "x"),
            new UserScramCredentialDeletion { User = "twice", Mechanism = ScramMechanism.ScramSha256 },
            Upsert("fine", ScramMechanism.ScramSha256, "fine-secret"),
        ]));

        Assert.Equal(
        [
            ("few-iterations", ErrorCode.UnacceptableCredential), ("many-iterations", ErrorCode.UnacceptableCredential),
            ("never-created", ErrorCode.ResourceNotFound), ("twice", ErrorCode.DuplicateResource), ("fine", ErrorCode.NoError),
        ], refused.Results.Select(r => (r.User, r.Error.Code)).OrderBy(r => r.User == "fine").ThenBy(r => r.User, StringComparer.Ordinal)
            .OrderBy(r => r.User switch { "few-iterations" => 0, "many-iterations" => 1, "never-created" => 2, "twice" => 3, _ => 4 }));
        var fine = await admin.DescribeUserScramCredentialsAsync(["fine"]);
        Assert.Equal(8192, Assert.Single(Assert.Single(fine.UserScramCredentialsDescriptions).ScramCredentialInfos).Iterations);
    }

    [Theory]
    [InlineData("scram-sha-256", ScramMechanism.ScramSha256)]
    [InlineData("scram-sha-512", ScramMechanism.ScramSha512)]
    public async Task KafkaJsOwnScramClient_Authenticates_AndIsToldTheSaslListener_ButNotWithAWrongPassword(string kafkaJsMechanism, ScramMechanism mechanism)
    {
        using var admin = Admin();
        await admin.AlterUserScramCredentialsAsync([Upsert("frank", mechanism, "frank-secret")]);

        var cluster = await KafkaJs.AdminAsync(broker.SaslBootstrap, "return await admin.describeCluster();", sasl: (kafkaJsMechanism, "frank", "frank-secret"));
        Assert.Equal(broker.SaslPort, cluster.GetProperty("brokers")[0].GetProperty("port").GetInt32());

        var refused = await Assert.ThrowsAnyAsync<Exception>(() =>
            KafkaJs.AdminAsync(broker.SaslBootstrap, "return await admin.describeCluster();", sasl: (kafkaJsMechanism, "frank", "wrong")));
        Assert.Contains("Authentication failed during authentication due to invalid credentials", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACredentialWithAnEmptySaltedPassword_WhoseKeysAnyoneCouldCompute_IsRefused()
    {
        using var client = new RawKafkaClient(broker.KafkaPort);

        var answer = client.Call<AlterUserScramCredentialsResponse>(ApiKey.AlterUserScramCredentials, 0, new AlterUserScramCredentialsRequest
        {
            Upsertions = [new() { Name = "empty", Mechanism = 1, Iterations = 4096, Salt = new byte[16], SaltedPassword = ReadOnlyMemory<byte>.Empty }],
        });

        var result = Assert.Single(answer.Results);
        Assert.Equal(("empty", (short)Tributary.Grains.KafkaFormats.ErrorCode.UnacceptableCredential), (result.User, result.ErrorCode));
    }
}

using System.Buffers.Binary;
using System.IO.Compression;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Tributary.Silo.Support;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Observability;

/// <summary>A silo with secrets in its settings: a REST Proxy user's password and an OTLP authorization header.</summary>
public sealed class SecretHoldingBroker : BrokerFixture
{
    public const string UserPassword = "alice+pw&7781<x>";
    public const string OtlpToken = "otlp-token-5521";

    protected override IReadOnlyList<string> Settings =>
    [
        "--Tributary:RestProxy:Authentication:Method", "BASIC",
        "--Tributary:RestProxy:Authentication:Users:alice", $"{UserPassword},admin",
        "--OTEL_EXPORTER_OTLP_HEADERS", $"Authorization=Bearer {OtlpToken}",
    ];
}

/// <summary>
/// The support bundle an operator downloads from the health port (or with <c>tributary support-bundle</c>): a zip
/// holding the settings with every secret masked, the cluster, topics and partition states, log directory sizes, the
/// recent warnings, a metrics snapshot and the runtime's facts.
/// </summary>
public sealed class SupportBundleTests(SecretHoldingBroker broker) : IClassFixture<SecretHoldingBroker>
{
    [Fact]
    public async Task TheBundle_HoldsWhatItSays_WithEverySecretMasked()
    {
        await broker.CreateAsync("bundled", 2);
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            for (var i = 0; i < 10; i++)
            {
                await producer.ProduceAsync(new TopicPartition("bundled", i % 2), new Message<Null, string> { Value = $"record {i}" });
            }
        }

        await SendUnknownApiAsync();
        using var http = new HttpClient();
        using var response = await http.GetAsync($"http://127.0.0.1:{broker.HealthPort}/support/bundle");
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("tributary-support-", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var parts = Read(await response.Content.ReadAsByteArrayAsync());

        Assert.Equal(
            ["cluster.json", "configuration.json", "log-directories.json", "metrics.txt", "recent-warnings-and-errors.json", "runtime.json", "topics.json"],
            parts.Keys.Order());
        foreach (var (name, text) in parts)
        {
            Assert.DoesNotContain(SecretHoldingBroker.UserPassword, text);
            Assert.DoesNotContain(SecretHoldingBroker.OtlpToken, text);
            Assert.DoesNotContain("\"unavailable\"", text);
        }

        var configuration = JsonNode.Parse(parts["configuration.json"])!;
        Assert.Equal(SecretMask.Masked, configuration["Tributary:RestProxy:Authentication:Users:alice"]!.GetValue<string>());
        Assert.Equal(SecretMask.Masked, configuration["OTEL_EXPORTER_OTLP_HEADERS"]!.GetValue<string>());
        Assert.Equal("BASIC", configuration["Tributary:RestProxy:Authentication:Method"]!.GetValue<string>());
        Assert.Equal(broker.HealthPort.ToString(System.Globalization.CultureInfo.InvariantCulture), configuration["Tributary:Health:Port"]!.GetValue<string>());
        Assert.DoesNotContain(configuration.AsObject(), s => s.Key.Equals("PATH", StringComparison.OrdinalIgnoreCase));

        var cluster = JsonNode.Parse(parts["cluster.json"])!;
        var brokerId = cluster["brokerId"]!.GetValue<int>();
        Assert.Equal([brokerId], cluster["brokers"]!.AsArray().Select(b => b!["id"]!.GetValue<int>()));
        Assert.Contains(cluster["silos"]!.AsArray(), s => s!["status"]!.GetValue<string>() == "Active");

        var bundled = JsonNode.Parse(parts["topics.json"])!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "bundled")!;
        Assert.Equal(2, bundled["partitions"]!.AsArray().Count);
        Assert.All(bundled["partitions"]!.AsArray(), p =>
        {
            Assert.Equal(brokerId, p!["leader"]!.GetValue<int>());
            Assert.False(p["underReplicated"]!.GetValue<bool>());
        });

        var directories = JsonNode.Parse(parts["log-directories.json"])!["directories"]!.AsArray();
        Assert.All(new[] { "bundled-0", "bundled-1" }, name =>
            Assert.True(directories.Single(d => d!["name"]!.GetValue<string>() == name)!["bytes"]!.GetValue<long>() > 0, name));

        var warnings = JsonNode.Parse(parts["recent-warnings-and-errors.json"])!["kept"]!.AsArray();
        Assert.Contains(warnings, w => w!["level"]!.GetValue<string>() == "Warning" && w["message"]!.GetValue<string>().Contains("unknown API key 999", StringComparison.Ordinal));

        Assert.Contains("kafka_server_brokertopicmetrics_messagesin_total{", parts["metrics.txt"]);
        var runtime = JsonNode.Parse(parts["runtime.json"])!;
        Assert.StartsWith(".NET", runtime["framework"]!.GetValue<string>());
        Assert.True(runtime["processors"]!.GetValue<int>() >= 1);
    }

    [Fact]
    public async Task TheBundle_IsServedToThisMachineOnly()
    {
        var address = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(i => i.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !System.Net.IPAddress.IsLoopback(a));
        Assert.True(address is not null, "This test needs a network address besides loopback to call from.");

        using var http = new HttpClient();
        using var refused = await http.GetAsync($"http://{address}:{broker.HealthPort}/support/bundle");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);

        // The probes on the same port still answer such callers.
        using var live = await http.GetAsync($"http://{address}:{broker.HealthPort}/health/live");
        Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task TheCommand_WritesTheBundleToAFile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"tributary-bundle-{Guid.NewGuid():N}.zip");
        try
        {
            var output = new StringWriter();
            var error = new StringWriter();
            var exit = await SupportBundleCommand.RunAsync(
                ["--health-port", broker.HealthPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--output", file], output, error);

            Assert.Equal(0, exit);
            Assert.Contains(file, output.ToString());
            Assert.Contains("configuration.json", Read(await File.ReadAllBytesAsync(file)).Keys);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task TheCommand_SaysWhyWhenNoSiloAnswers_AndRefusesUnknownArguments()
    {
        var error = new StringWriter();
        Assert.Equal(1, await SupportBundleCommand.RunAsync(["--health-url", "http://127.0.0.1:1"], TextWriter.Null, error));
        Assert.Contains("could not fetch http://127.0.0.1:1/support/bundle", error.ToString());
        Assert.Equal(2, await SupportBundleCommand.RunAsync(["--everything"], TextWriter.Null, TextWriter.Null));
    }

    [Theory]
    [InlineData("Tributary:Cluster:ConnectionString", "redis:6379,password=x", true)]
    [InlineData("Tributary:Kafka:Sasl:PlainUsers:bob", "bob-secret", true)]
    [InlineData("Tributary:Tls:KeystorePassword", "changeit", true)]
    [InlineData("Tributary:Kafka:Sasl:OAuthBearer:ClientSecret", "s", true)]
    [InlineData("Tributary:Connect:ConverterSettings:ssl.keystore.key", "k", true)]
    [InlineData("Tributary:Connect:ConverterSettings:basic.auth.user.info", "u:p", true)]
    [InlineData("Tributary:Connect:ConverterSettings:api_key", "k", true)]
    [InlineData("Tributary:Kafka:Port", "9092", false)]
    [InlineData("Tributary:RestProxy:Authentication:UsersFile", "/etc/users", false)]
    public void SecretSettings_AreMaskedByName(string key, string value, bool masked) =>
        Assert.Equal(masked ? SecretMask.Masked : value, new SecretMask([]).Setting(key, value));

    [Fact]
    public void SecretsInsideOtherText_AreMasked()
    {
        var mask = new SecretMask([new("Tributary:Tls:KeystorePassword", "changeit-42")]);

        Assert.Equal(
            "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=********;EndpointSuffix=core.windows.net",
            mask.Text("DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0Cg==;EndpointSuffix=core.windows.net"));
        Assert.Equal("redis:6379,password=********,ssl=true", mask.Text("redis:6379,password=hunter2,ssl=true"));
        Assert.Equal("connecting to redis://admin:********@cache:6379", mask.Text("connecting to redis://admin:hunter2@cache:6379"));
        Assert.Equal("keystore password ******** was refused", mask.Text("keystore password changeit-42 was refused"));
        Assert.Equal("oauth: client_secret=********&grant_type=x", mask.Text("oauth: client_secret=abc123&grant_type=x"));
        Assert.Equal("{\"db_password\": \"********\", \"user\": \"u\"}", mask.Text("{\"db_password\":\"p\\\"w\", \"user\": \"u\"}"));
    }

    [Fact]
    public void ThePartsOfASecretValue_AreMaskedWhereverTheyAppearAlone()
    {
        var mask = new SecretMask(
        [
            new("Tributary:RestProxy:Authentication:Users:alice", "alice-pw-1,admin"),
            new("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Bearer tok-5521,x-tenant=acme-9"),
        ]);

        Assert.Equal("login as alice with ******** failed", mask.Text("login as alice with alice-pw-1 failed"));
        Assert.Equal("sent ******** and ********", mask.Text("sent tok-5521 and acme-9"));
        Assert.Equal("the admin role", mask.Text("the admin role"));
    }

    /// <summary>A request with an API key no Kafka has: the broker closes the connection and logs a warning.</summary>
    private async Task SendUnknownApiAsync()
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", broker.KafkaPort);
        var frame = new byte[4 + 10];
        BinaryPrimitives.WriteInt32BigEndian(frame, 10);
        BinaryPrimitives.WriteInt16BigEndian(frame.AsSpan(4), 999);
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(8), 1);
        await client.GetStream().WriteAsync(frame);
        var buffer = new byte[16];
        try
        {
            while (await client.GetStream().ReadAsync(buffer) > 0)
            {
            }
        }
        catch (IOException)
        {
            // Closed with a reset: the broker did not wait to read the rest.
        }
    }

    private static Dictionary<string, string> Read(byte[] zipBytes)
    {
        using var zip = new ZipArchive(new MemoryStream(zipBytes), ZipArchiveMode.Read);
        return zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var reader = new StreamReader(e.Open(), Encoding.UTF8);
            return reader.ReadToEnd();
        });
    }
}

using System.Text.Json;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Silo;

/// <summary>
/// Structured logs for collectors: with <c>Logging:Console:FormatterName=json</c> every line the silo writes is one
/// JSON object with its level, category and message, and a log line's values (here a malformed request's reason) as
/// fields of its state.
/// </summary>
public sealed class JsonLogTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "tributary-tests", "silo-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_data))
        {
            Directory.Delete(_data, recursive: true);
        }
    }

    [Fact]
    public async Task WithTheJsonFormatter_EveryLineIsAJsonObject_WithItsValuesAsFields()
    {
        await using var silo = await SiloLauncher.StartAsync(_data, new Dictionary<string, string> { ["Logging__Console__FormatterName"] = "json" });
        using (var client = new RawKafkaClient(silo.KafkaPort))
        {
            client.SendRaw([0, 0, 0, 2, 0, 0]);
            Assert.True(client.IsClosedByBroker());
        }

        JsonElement? malformed = null;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (malformed is null && DateTime.UtcNow < deadline)
        {
            malformed = Lines(silo.Output).FirstOrDefault(l => l.GetProperty("Message").GetString()!.Contains("malformed request", StringComparison.Ordinal)) is { ValueKind: JsonValueKind.Object } found
                ? found
                : null;
            await Task.Delay(100);
        }

        Assert.NotNull(malformed);
        Assert.Equal("Warning", malformed.Value.GetProperty("LogLevel").GetString());
        Assert.Equal("Tributary.Gateway.Kafka.KafkaConnectionHandler", malformed.Value.GetProperty("Category").GetString());
        Assert.False(string.IsNullOrEmpty(malformed.Value.GetProperty("State").GetProperty("Reason").GetString()));

        var lines = Lines(silo.Output);
        Assert.True(lines.Count > 3, $"{lines.Count} lines");
        Assert.All(lines, line =>
        {
            Assert.Equal(JsonValueKind.String, line.GetProperty("LogLevel").ValueKind);
            Assert.Equal(JsonValueKind.String, line.GetProperty("Category").ValueKind);
        });
    }

    /// <summary>Every line written so far, each parsed as JSON (a line that is not JSON fails the test).</summary>
    private static List<JsonElement> Lines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(line => JsonDocument.Parse(line).RootElement)];
}

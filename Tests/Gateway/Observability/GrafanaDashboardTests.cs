using System.Text.Json;
using Confluent.Kafka;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Observability;

/// <summary>
/// The Grafana dashboard in <c>infra/grafana</c> works against the metrics the silo serves: every query of every panel
/// is valid PromQL to a real Prometheus scraping a silo under load, and each finds data.
/// </summary>
public sealed class GrafanaDashboardTests(PrometheusBroker broker) : IClassFixture<PrometheusBroker>
{
    [Fact]
    public async Task EveryPanelsQuery_FindsData_OnASiloUnderLoad()
    {
        await MakeLoadAsync();
        var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Repository.Root, "infra", "grafana", "tributary-dashboard.json")));
        var queries = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray().Select(target =>
                (Panel: panel.GetProperty("title").GetString()!, Expr: target.GetProperty("expr").GetString()!)))
            .ToList();
        Assert.True(queries.Count >= 15, $"{queries.Count} queries");

        foreach (var (panel, expr) in queries)
        {
            // Grafana's own variable, which Prometheus does not know: the window a rate is taken over.
            var query = expr.Replace("$__rate_interval", "1m", StringComparison.Ordinal);
            await broker.WaitForAsync($"count({query})", v => v > 0, $"data for the panel '{panel}'", TimeSpan.FromSeconds(45));
        }
    }

    private async Task MakeLoadAsync()
    {
        await broker.CreateAsync("dashboard", 2);
        await broker.CreateAsync("dashboard-small", 1, new() { ["max.message.bytes"] = "2000" });
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = broker.BootstrapServers, MessageSendMaxRetries = 0 }).Build())
        {
            for (var i = 0; i < 200; i++)
            {
                producer.Produce("dashboard", new Message<Null, string> { Value = $"r{i}" });
            }

            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(30)));

            // One refusal, for the errors panel (which leaves NONE out).
            await Assert.ThrowsAsync<ProduceException<Null, string>>(() =>
                producer.ProduceAsync("dashboard-small", new Message<Null, string> { Value = new string('x', 10_000) }));
        }

        using (var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "dashboard-readers",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build())
        {
            consumer.Subscribe("dashboard");
            var read = 0;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (read < 100 && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { IsPartitionEOF: false } record)
                {
                    read++;
                    consumer.Commit(record);
                }
            }

            consumer.Close();
        }

        using var http = new HttpClient();
        (await http.GetAsync($"{broker.RegistryUrl}/subjects")).EnsureSuccessStatusCode();
    }
}

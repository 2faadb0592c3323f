using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Observability;

/// <summary>The embedded platform with a real Prometheus server scraping its <c>/metrics</c> every second.</summary>
public sealed class PrometheusBroker : BrokerFixture
{
    public static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(1);

    private PrometheusServer? _prometheus;

    /// <summary>Consumer lag and the replica counts worked out every second, not every 30; Connect's offsets committed every half second.</summary>
    protected override IReadOnlyList<string> Settings =>
    [
        "--Tributary:Metrics:ConsumerLagInterval", "00:00:01", "--Tributary:Metrics:PartitionStateInterval", "00:00:01",
        "--Tributary:Connect:OffsetFlushIntervalMs", "500",
    ];

    public PrometheusServer Prometheus => _prometheus!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _prometheus = await PrometheusServer.StartAsync([$"127.0.0.1:{HealthPort}"], ScrapeInterval);
    }

    public override async Task DisposeAsync()
    {
        if (_prometheus is not null)
        {
            await _prometheus.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    /// <summary>Waits until Prometheus' answer to <paramref name="query"/> satisfies <paramref name="until"/>; that answer.</summary>
    public async Task<double> WaitForAsync(string query, Func<double, bool> until, string what, TimeSpan? timeout = null)
    {
        double? last = null;
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            last = await Prometheus.ValueAsync(query);
            if (last is { } value && until(value))
            {
                return value;
            }

            await Task.Delay(ScrapeInterval);
        }

        using var http = new HttpClient();
        var scraped = await http.GetStringAsync($"http://127.0.0.1:{HealthPort}/metrics");
        throw new Xunit.Sdk.XunitException(
            $"Waited for {what}: {query} was {last?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "absent"}. " +
            $"Prometheus said: {Prometheus.Output}\nThe silo's /metrics:\n{string.Join('\n', scraped.Split('\n').Where(l => l.StartsWith("kafka", StringComparison.Ordinal)).Take(80))}");
    }
}

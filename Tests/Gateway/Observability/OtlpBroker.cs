using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Observability;

/// <summary>
/// The embedded platform exporting over OTLP/HTTP to an <see cref="OtlpReceiver"/>, set up only by OpenTelemetry's own
/// variables (given as configuration, as the environment would give them), with short export intervals.
/// </summary>
public sealed class OtlpBroker : BrokerFixture
{
    private OtlpReceiver? _receiver;

    public OtlpReceiver Receiver => _receiver!;

    protected override IReadOnlyList<string> Settings =>
    [
        "--OTEL_EXPORTER_OTLP_ENDPOINT", Receiver.Endpoint,
        "--OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
        "--OTEL_SERVICE_NAME", "tributary-traced",
        // Not parent-based: the silo's own grain calls, under the propagation-only context of their dropped roots, must still not be kept.
        "--OTEL_TRACES_SAMPLER", "always_on",
        "--OTEL_BSP_SCHEDULE_DELAY", "200",
        "--OTEL_BLRP_SCHEDULE_DELAY", "200",
        "--OTEL_METRIC_EXPORT_INTERVAL", "1000",

        // The silo's own rounds of grain calls and log reads every second, which must start no trace.
        "--Tributary:Metrics:ConsumerLagInterval", "00:00:01",
        "--Tributary:Metrics:PartitionStateInterval", "00:00:01",
    ];

    public override async Task InitializeAsync()
    {
        _receiver = OtlpReceiver.Start();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_receiver is not null)
        {
            await _receiver.DisposeAsync();
        }
    }

    /// <summary>Waits until the spans received satisfy <paramref name="until"/>.</summary>
    public async Task<IReadOnlyCollection<OtlpSpan>> WaitForSpansAsync(Func<IReadOnlyCollection<OtlpSpan>, bool> until, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var spans = Receiver.Spans;
            if (until(spans))
            {
                return spans;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException(
                    $"Waited for {what}; received {spans.Count} spans: {string.Join(", ", spans.Select(s => $"{s.Scope}:{s.Name}").Distinct().Take(40))}");
            }

            await Task.Delay(200);
        }
    }
}

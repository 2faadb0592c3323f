using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;
using Tributary.Silo.Observability;

namespace Tributary.Tests.Gateway.Observability;

/// <summary>
/// The silo's sampler honours OpenTelemetry's <c>OTEL_TRACES_SAMPLER</c> settings for Kafka requests, keeps every trace
/// to requests, and refuses a sampler it does not serve rather than ignoring it.
/// </summary>
public sealed class TraceSamplingTests
{
    private static readonly ActivityTraceId Trace = ActivityTraceId.CreateRandom();

    [Theory]
    [InlineData(null, null, SamplingDecision.RecordAndSample)]
    [InlineData("always_on", null, SamplingDecision.RecordAndSample)]
    [InlineData("always_off", null, SamplingDecision.Drop)]
    [InlineData("traceidratio", "0", SamplingDecision.Drop)]
    [InlineData("parentbased_traceidratio", "1", SamplingDecision.RecordAndSample)]
    [InlineData("PARENTBASED_ALWAYS_OFF", null, SamplingDecision.Drop)]
    public void RequestRoots_AreSampledAsConfigured(string? sampler, string? argument, SamplingDecision expected)
    {
        var sampling = TraceSampling.FromConfiguration(Configuration(sampler, argument));

        Assert.Equal(expected, sampling.ShouldSample(Parameters(default, [new("rpc.system", "kafka")])).Decision);
    }

    [Fact]
    public void ARootThatIsNoKafkaRequest_IsDropped_AndAChildFollowsItsSampledParent()
    {
        var sampling = TraceSampling.FromConfiguration(Configuration(null, null));

        Assert.Equal(SamplingDecision.Drop, sampling.ShouldSample(Parameters(default, [new("rpc.system", "orleans")])).Decision);
        Assert.Equal(SamplingDecision.Drop, sampling.ShouldSample(Parameters(default, null)).Decision);
        var sampledParent = new ActivityContext(Trace, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        Assert.Equal(SamplingDecision.RecordAndSample, sampling.ShouldSample(Parameters(sampledParent, null)).Decision);
    }

    [Theory]
    [InlineData("jaeger_remote", null)]
    [InlineData("always_on", "1.5")]
    [InlineData("traceidratio", "half")]
    public void ASamplerNotServed_StopsTheStart(string sampler, string? argument) =>
        Assert.Throws<InvalidOperationException>(() => TraceSampling.FromConfiguration(Configuration(sampler, argument)));

    private static SamplingParameters Parameters(ActivityContext parent, IEnumerable<KeyValuePair<string, object?>>? tags) =>
        new(parent, Trace, "span", ActivityKind.Server, tags);

    private static IConfiguration Configuration(string? sampler, string? argument) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_TRACES_SAMPLER"] = sampler, ["OTEL_TRACES_SAMPLER_ARG"] = argument })
        .Build();
}

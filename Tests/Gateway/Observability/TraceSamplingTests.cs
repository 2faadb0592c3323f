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

    [Theory]
    [InlineData(null, 0.01)]
    [InlineData("0.25", 0.25)]
    public void Unnamed_TheSamplerTracesAShareOfRequests_OneInAHundredUnlessTheArgumentSays(string? argument, double ratio)
    {
        var sampling = TraceSampling.FromConfiguration(Configuration(null, argument));

        // A trace id ratio sampler keeps a trace whose id's first eight bytes, as a number, are below the ratio's share.
        var kept = Enumerable.Range(0, 10_000).Count(_ =>
            sampling.ShouldSample(Parameters(default, [new("rpc.system", "kafka")], ActivityTraceId.CreateRandom())).Decision == SamplingDecision.RecordAndSample);
        Assert.InRange(kept / 10_000.0, ratio * 0.6, ratio * 1.4);
    }

    [Fact]
    public void ARootThatIsNoKafkaRequest_IsDropped_AndAChildFollowsItsSampledParent()
    {
        var sampling = TraceSampling.FromConfiguration(Configuration("parentbased_always_on", null));

        Assert.Equal(SamplingDecision.Drop, sampling.ShouldSample(Parameters(default, [new("rpc.system", "orleans")])).Decision);
        Assert.Equal(SamplingDecision.Drop, sampling.ShouldSample(Parameters(default, null)).Decision);
        var sampledParent = new ActivityContext(Trace, ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        Assert.Equal(SamplingDecision.RecordAndSample, sampling.ShouldSample(Parameters(sampledParent, null)).Decision);
    }

    [Theory]
    [InlineData("always_on")]
    [InlineData("traceidratio")]
    public void UnderAnySampler_ASpanUnderADroppedRoot_IsDropped(string sampler)
    {
        var sampling = TraceSampling.FromConfiguration(Configuration(sampler, "1"));
        var unsampledParent = new ActivityContext(Trace, ActivitySpanId.CreateRandom(), ActivityTraceFlags.None);

        Assert.Equal(SamplingDecision.Drop, sampling.ShouldSample(Parameters(unsampledParent, [new("rpc.system", "orleans")])).Decision);
        Assert.Equal(SamplingDecision.RecordAndSample, sampling.ShouldSample(Parameters(default, [new("rpc.system", "kafka")])).Decision);
    }

    [Theory]
    [InlineData("jaeger_remote", null)]
    [InlineData("always_on", "1.5")]
    [InlineData("traceidratio", "half")]
    public void ASamplerNotServed_StopsTheStart(string sampler, string? argument) =>
        Assert.Throws<InvalidOperationException>(() => TraceSampling.FromConfiguration(Configuration(sampler, argument)));

    private static SamplingParameters Parameters(ActivityContext parent, IEnumerable<KeyValuePair<string, object?>>? tags, ActivityTraceId? trace = null) =>
        new(parent, trace ?? Trace, "span", ActivityKind.Server, tags);

    private static IConfiguration Configuration(string? sampler, string? argument) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["OTEL_TRACES_SAMPLER"] = sampler, ["OTEL_TRACES_SAMPLER_ARG"] = argument })
        .Build();
}

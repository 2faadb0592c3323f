using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;
using Tributary.Gateway.Kafka.Tracing;

namespace Tributary.Silo.Observability;

/// <summary>
/// The silo's sampler: OpenTelemetry's standard one named by <c>OTEL_TRACES_SAMPLER</c> and <c>OTEL_TRACES_SAMPLER_ARG</c>,
/// which decides for each Kafka request; a span that would start a trace of its own anywhere else (a grain call a timer
/// made, a replica's append, the lag monitor's reads) is not kept, so that traces are requests' traces. Unset, it is
/// <c>parentbased_traceidratio</c> at <see cref="DefaultRatio"/> (or at <c>OTEL_TRACES_SAMPLER_ARG</c>) rather than
/// OpenTelemetry's <c>parentbased_always_on</c>: a broker answers thousands of requests a second, and tracing each would
/// cost a fifth of its CPU. A sampler we do not serve stops the start rather than being ignored.
/// </summary>
public sealed class TraceSampling : Sampler
{
    /// <summary>The share of requests traced when no sampler is named: one in a hundred.</summary>
    public const double DefaultRatio = 0.01;

    private static readonly SamplingResult Dropped = new(SamplingDecision.Drop);
    private static readonly SamplingResult Sampled = new(SamplingDecision.RecordAndSample);

    private readonly Sampler _requests;

    private TraceSampling(Sampler requests)
    {
        _requests = requests;
        Description = $"RequestRoots{{{requests.Description}}}";
    }

    public static TraceSampling FromConfiguration(IConfiguration configuration)
    {
        var name = configuration["OTEL_TRACES_SAMPLER"];
        var argument = configuration["OTEL_TRACES_SAMPLER_ARG"];
        var named = !string.IsNullOrWhiteSpace(name);
        var ratio = named ? 1.0 : DefaultRatio;
        if (!string.IsNullOrWhiteSpace(argument)
            && (!double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out ratio) || ratio is < 0 or > 1))
        {
            throw new InvalidOperationException($"OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1, not '{argument}'.");
        }

        Sampler sampler = (named ? name!.Trim().ToLowerInvariant() : "parentbased_traceidratio") switch
        {
            "always_on" => new AlwaysOnSampler(),
            "always_off" => new AlwaysOffSampler(),
            "traceidratio" => new TraceIdRatioBasedSampler(ratio),
            "parentbased_always_on" => new ParentBasedSampler(new AlwaysOnSampler()),
            "parentbased_always_off" => new ParentBasedSampler(new AlwaysOffSampler()),
            "parentbased_traceidratio" => new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)),
            _ => throw new InvalidOperationException(
                $"OTEL_TRACES_SAMPLER '{name}' is not served: always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off or parentbased_traceidratio."),
        };
        return new TraceSampling(sampler);
    }

    /// <summary>
    /// A Kafka request's span (a root) is the configured sampler's to decide; every other span follows its parent, and
    /// one without a recorded parent is dropped, whatever the configured sampler (<c>always_on</c> would otherwise keep
    /// the grain calls a timer made under the propagation-only context of its dropped root).
    /// </summary>
    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var parent = samplingParameters.ParentContext;
        if (parent.TraceId == default)
        {
            return IsRequest(samplingParameters.Tags) ? _requests.ShouldSample(samplingParameters) : Dropped;
        }

        return (parent.TraceFlags & ActivityTraceFlags.Recorded) != 0 ? Sampled : Dropped;
    }

    private static bool IsRequest(IEnumerable<KeyValuePair<string, object?>>? tags)
    {
        if (tags is null)
        {
            return false;
        }

        foreach (var tag in tags)
        {
            if (tag.Key == RequestTracing.RpcSystemTag && tag.Value is RequestTracing.RpcSystem)
            {
                return true;
            }
        }

        return false;
    }
}

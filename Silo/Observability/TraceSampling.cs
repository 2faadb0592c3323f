using System.Globalization;
using Microsoft.Extensions.Configuration;
using OpenTelemetry.Trace;
using Tributary.Gateway.Kafka.Tracing;

namespace Tributary.Silo.Observability;

/// <summary>
/// The silo's sampler: OpenTelemetry's standard one named by <c>OTEL_TRACES_SAMPLER</c> and <c>OTEL_TRACES_SAMPLER_ARG</c>
/// (<c>parentbased_always_on</c> unless set), which decides for each Kafka request; a span that would start a trace of
/// its own anywhere else (a grain call a timer made, a replica's append, the lag monitor's reads) is not kept, so that
/// traces are requests' traces. A sampler we do not serve stops the start rather than being ignored.
/// </summary>
public sealed class TraceSampling : Sampler
{
    private static readonly SamplingResult Dropped = new(SamplingDecision.Drop);

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
        var ratio = 1.0;
        if (!string.IsNullOrWhiteSpace(argument)
            && (!double.TryParse(argument, NumberStyles.Float, CultureInfo.InvariantCulture, out ratio) || ratio is < 0 or > 1))
        {
            throw new InvalidOperationException($"OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1, not '{argument}'.");
        }

        Sampler sampler = (string.IsNullOrWhiteSpace(name) ? "parentbased_always_on" : name.Trim().ToLowerInvariant()) switch
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

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        if (samplingParameters.ParentContext.TraceId == default && !IsRequest(samplingParameters.Tags))
        {
            return Dropped;
        }

        return _requests.ShouldSample(samplingParameters);
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

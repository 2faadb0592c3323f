using System.Diagnostics;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.KafkaFormats;

namespace Tributary.Gateway.Kafka.Tracing;

/// <summary>
/// A server span for each Kafka request the gateway handles, named by its API (<c>Produce</c>, <c>Fetch</c>, ...): the
/// root of the request's trace, under which the grain calls it makes (Orleans' activity propagation carries the W3C
/// trace context across silos) and the log appends and reads they do are recorded. Nothing is created unless a tracer
/// listens (<see cref="ActivitySource.HasListeners"/>). Records are not looked into: a client's own trace headers on its
/// records stay as they were sent.
/// </summary>
public static class RequestTracing
{
    public const string SourceName = "Tributary.Kafka";

    /// <summary>The tag that marks a request span at its start, so that a sampler can tell the roots it may keep.</summary>
    public const string RpcSystemTag = "rpc.system";
    public const string RpcSystem = "kafka";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>The tags a request span starts with: what the sampler sees, the same array for every request.</summary>
    private static readonly KeyValuePair<string, object?>[] StartTags = [new(RpcSystemTag, RpcSystem)];

    /// <summary>The request's span, or null when no tracer listens or the sampler drops it.</summary>
    public static Activity? Start(KafkaRequest request)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(request.ApiKey.ToString(), ActivityKind.Server, parentContext: default, StartTags);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("rpc.method", activity.DisplayName);
            activity.SetTag("kafka.api_version", request.ApiVersion);
            activity.SetTag("kafka.correlation_id", request.CorrelationId);
            activity.SetTag("messaging.system", "kafka");
            activity.SetTag("messaging.client.id", request.ClientId);
            activity.SetTag("client.address", request.ClientAddress);
            activity.SetTag("kafka.listener", request.Listener);
            if (Topics(request.Body) is { Count: > 0 } topics)
            {
                activity.SetTag("messaging.destination.name", string.Join(',', topics));
            }
        }

        return activity;
    }

    /// <summary>Marks the span failed when the handler threw (the connection is then closed).</summary>
    public static void Failed(Activity? activity, Exception error)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, error.Message);
        activity.AddException(error);
    }

    /// <summary>
    /// Names the topics a request reached on its span, when the request itself does not say (a fetch names topics by
    /// id, or not at all in an incremental fetch session): called from the handler, under the request's span.
    /// </summary>
    public static void TagDestinations(IEnumerable<string?> topics)
    {
        if (RecordedRequest is { } current)
        {
            var named = topics.Where(t => !string.IsNullOrEmpty(t)).Distinct().ToList();
            if (named.Count > 0)
            {
                current.SetTag("messaging.destination.name", string.Join(',', named));
            }
        }
    }

    /// <summary>True when the current request's span is recorded: what is worth working out for its tags.</summary>
    public static bool IsRecording => RecordedRequest is not null;

    private static Activity? RecordedRequest =>
        Activity.Current is { IsAllDataRequested: true } current && current.Source == Source ? current : null;

    /// <summary>The topics a produce names.</summary>
    private static List<string>? Topics(IKafkaMessage body) => body switch
    {
        ProduceRequest produce => produce.TopicData.Select(t => t.Name).Where(n => !string.IsNullOrEmpty(n)).Distinct().ToList(),
        _ => null,
    };
}

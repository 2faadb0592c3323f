using System.Diagnostics.Metrics;
using Tributary.Gateway.Protocol;
using Tributary.Gateway.Protocol.Messages;

namespace Tributary.Gateway.Kafka.Metrics;

/// <summary>
/// Kafka's <c>kafka.network:type=RequestMetrics</c> per API (tag <c>request</c>, Kafka's API name): requests by
/// version, and histograms of the times a request spends (<c>TotalTimeMs</c> and its parts: waiting behind the
/// connection's earlier requests, <c>RequestQueueTimeMs</c>; handled here, <c>LocalTimeMs</c>; parked until data or
/// replicas came, <c>RemoteTimeMs</c>; held back by a quota, <c>ThrottleTimeMs</c>; written to the socket,
/// <c>ResponseSendTimeMs</c>) and of request and response sizes in bytes.
/// </summary>
public sealed class RequestMetrics
{
    /// <summary>The meter of Kafka's <c>kafka.network</c> domain.</summary>
    public const string MeterName = "kafka.network";

    private const string Prefix = "kafka.network.requestmetrics.";

    /// <summary>Bucket bounds for times (ms): from sub-millisecond requests to fetches parked for their whole wait.</summary>
    private static readonly double[] TimeBuckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000];

    /// <summary>Bucket bounds for sizes (bytes): from a heartbeat to a full fetch.</summary>
    private static readonly long[] SizeBuckets = [64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _totalTime;
    private readonly Histogram<double> _queueTime;
    private readonly Histogram<double> _localTime;
    private readonly Histogram<double> _remoteTime;
    private readonly Histogram<double> _throttleTime;
    private readonly Histogram<double> _responseSendTime;
    private readonly Histogram<long> _requestBytes;
    private readonly Histogram<long> _responseBytes;
    private static readonly KeyValuePair<string, object?> FetchConsumer = new("request", "FetchConsumer");
    private static readonly KeyValuePair<string, object?> FetchFollower = new("request", "FetchFollower");

    private readonly Counter<long> _errors;
    private readonly KeyValuePair<string, object?>[] _requestTags;
    private readonly Dictionary<short, KeyValuePair<string, object?>> _errorTags;

    /// <summary>The <c>version</c> tags, boxed once: a tag's value is an object, and a short boxed per request would allocate.</summary>
    private readonly KeyValuePair<string, object?>[] _versionTags = [.. Enumerable.Range(0, 32).Select(v => new KeyValuePair<string, object?>("version", (short)v))];

    public RequestMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>(Prefix + "requests", description: "Requests handled, by API and version (RequestsPerSec).");
        _totalTime = Time(meter, "totaltimems", "From the request's last byte read to its response's last byte written (TotalTimeMs).");
        _queueTime = Time(meter, "requestqueuetimems", "Waiting behind the connection's earlier requests (RequestQueueTimeMs).");
        _localTime = Time(meter, "localtimems", "Handled by this broker (LocalTimeMs).");
        _remoteTime = Time(meter, "remotetimems", "Parked until records, replicas or the group came (RemoteTimeMs).");
        _throttleTime = Time(meter, "throttletimems", "The client held back by a quota after its response (ThrottleTimeMs).");
        _responseSendTime = Time(meter, "responsesendtimems", "Writing the response to the socket (ResponseSendTimeMs).");
        _requestBytes = Size(meter, "requestbytes", "Request sizes (RequestBytes).");
        _responseBytes = Size(meter, "responsebytes", "Response sizes.");
        _errors = meter.CreateCounter<long>(Prefix + "errors", description: "Error codes in responses, NONE included, by API and error (ErrorsPerSec).");
        _errorTags = Enum.GetValues<ErrorCode>().Distinct().ToDictionary(e => (short)e, e => new KeyValuePair<string, object?>("error", KafkaErrorName(e)));
        _requestTags = [.. Enumerable.Range(0, (int)Enum.GetValues<ApiKey>().Max() + 1).Select(k => new KeyValuePair<string, object?>("request", ((ApiKey)k).ToString()))];
    }

    /// <summary>
    /// One request's figures, once its response is written (or, for a request without one, once handled). A Fetch is
    /// also recorded as <c>FetchConsumer</c> or <c>FetchFollower</c>, as Kafka's RequestChannel records it.
    /// </summary>
    public void Record(ApiKey api, short version, in RequestTimes times, int requestBytes, int responseBytes, FetchKind fetch = FetchKind.None)
    {
        var request = (int)api < _requestTags.Length ? _requestTags[(int)api] : new("request", api.ToString());
        Record(request, version, times, requestBytes, responseBytes);
        if (fetch != FetchKind.None)
        {
            Record(fetch == FetchKind.Follower ? FetchFollower : FetchConsumer, version, times, requestBytes, responseBytes);
        }
    }

    private void Record(KeyValuePair<string, object?> request, short version, in RequestTimes times, int requestBytes, int responseBytes)
    {
        _requests.Add(1, request, (uint)version < (uint)_versionTags.Length ? _versionTags[version] : new("version", version));
        _totalTime.Record(times.TotalMs, request);
        _queueTime.Record(times.QueueMs, request);
        _localTime.Record(times.LocalMs, request);
        _remoteTime.Record(times.RemoteMs, request);
        _throttleTime.Record(times.ThrottleMs, request);
        _responseSendTime.Record(times.SendMs, request);
        _requestBytes.Record(requestBytes, request);
        if (responseBytes > 0)
        {
            _responseBytes.Record(responseBytes, request);
        }
    }

    /// <summary>Whether anyone listens for error codes: counting them walks the whole response.</summary>
    public bool CountsErrors => _errors.Enabled;

    /// <summary>The error codes of a response, each with how often it occurred.</summary>
    public void RecordErrors(ApiKey api, ErrorCodeCounts counts)
    {
        var request = (int)api < _requestTags.Length ? _requestTags[(int)api] : new("request", api.ToString());
        for (var i = 0; i < counts.Distinct; i++)
        {
            var (code, count) = counts[i];
            var error = _errorTags.TryGetValue(code, out var known) ? known : new("error", code.ToString(System.Globalization.CultureInfo.InvariantCulture));
            _errors.Add(count, request, error);
        }
    }

    /// <summary>Kafka's name of an error (<c>Errors</c>): NOT_LEADER_OR_FOLLOWER for NotLeaderOrFollower.</summary>
    internal static string KafkaErrorName(ErrorCode error)
    {
        var name = error.ToString();
        var snake = new System.Text.StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1]))))
            {
                snake.Append('_');
            }

            snake.Append(char.ToUpperInvariant(name[i]));
        }

        return snake.ToString();
    }

    private static Histogram<double> Time(Meter meter, string name, string description) =>
        meter.CreateHistogram(Prefix + name, unit: null, description, tags: null, new InstrumentAdvice<double> { HistogramBucketBoundaries = TimeBuckets });

    private static Histogram<long> Size(Meter meter, string name, string description) =>
        meter.CreateHistogram(Prefix + name, unit: null, description, tags: null, new InstrumentAdvice<long> { HistogramBucketBoundaries = SizeBuckets });
}

/// <summary>Where a request's time went, in milliseconds (the parts of <see cref="RequestMetrics"/>' TotalTimeMs).</summary>
public readonly record struct RequestTimes(double QueueMs, double LocalMs, double RemoteMs, double SendMs, double ThrottleMs)
{
    public double TotalMs => QueueMs + LocalMs + RemoteMs + SendMs;
}

/// <summary>Who a Fetch came from, for Kafka's FetchConsumer and FetchFollower request metrics.</summary>
public enum FetchKind
{
    None,
    Consumer,
    Follower,
}

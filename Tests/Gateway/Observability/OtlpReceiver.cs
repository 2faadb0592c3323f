using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Observability;

/// <summary>One span as an OTLP collector receives it: ids in hex, its scope (the ActivitySource) and its attributes.</summary>
public sealed record OtlpSpan(
    string Scope, string TraceId, string SpanId, string ParentSpanId, string Name, int Kind, IReadOnlyDictionary<string, object?> Attributes)
{
    public const int ServerKind = 2;
    public const int ClientKind = 3;

    public string? Attribute(string key) => Attributes.TryGetValue(key, out var value) ? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) : null;
}

/// <summary>
/// An OTLP/HTTP collector on a loopback port, as the OpenTelemetry Collector serves it (<c>/v1/traces</c>,
/// <c>/v1/metrics</c>, <c>/v1/logs</c>, binary protobuf): it decodes the spans, metric names and log records it is
/// sent with protobuf's own reader, field by field as <c>opentelemetry/proto</c> numbers them.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly LoopbackHttpListener _listener;
    private readonly ConcurrentQueue<OtlpSpan> _spans = new();
    private readonly ConcurrentDictionary<string, string> _resourceServiceNames = new();
    private readonly ConcurrentDictionary<string, byte> _metricNames = new();
    private int _logRecords;

    private OtlpReceiver() => _listener = LoopbackHttpListener.Start(ReceiveAsync);

    public int Port => _listener.Port;

    public string Endpoint => _listener.Endpoint;

    public IReadOnlyCollection<OtlpSpan> Spans => _spans.ToArray();

    public IReadOnlyCollection<string> MetricNames => _metricNames.Keys.ToArray();

    public IReadOnlyCollection<string> ServiceNames => _resourceServiceNames.Keys.ToArray();

    public int LogRecords => Volatile.Read(ref _logRecords);

    public static OtlpReceiver Start() => new();

    private async Task ReceiveAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        await context.Request.InputStream.CopyToAsync(body);
        var bytes = body.ToArray();
        var path = context.Request.Url?.AbsolutePath;
        try
        {
            switch (path)
            {
                case "/v1/traces":
                    ForEach(bytes, 1, ReadResourceSpans);
                    break;
                case "/v1/metrics":
                    ForEach(bytes, 1, resource => ForEach(resource, 2, scope => ForEach(scope, 2, metric => _metricNames.TryAdd(StringField(metric, 1), 0))));
                    break;
                case "/v1/logs":
                    ForEach(bytes, 1, resource => ForEach(resource, 2, scope => ForEach(scope, 2, _ => Interlocked.Increment(ref _logRecords))));
                    break;
            }

            context.Response.StatusCode = path is "/v1/traces" or "/v1/metrics" or "/v1/logs" ? 200 : 404;
            context.Response.ContentType = "application/x-protobuf";
        }
        catch (InvalidProtocolBufferException)
        {
            context.Response.StatusCode = 400;
        }
    }

    private void ReadResourceSpans(ReadOnlyMemory<byte> resourceSpans)
    {
        ForEach(resourceSpans, 1, resource => ForEach(resource, 1, attribute =>
        {
            var (key, value) = KeyValue(attribute);
            if (key == "service.name" && value is string name)
            {
                _resourceServiceNames.TryAdd(name, name);
            }
        }));
        ForEach(resourceSpans, 2, scopeSpans =>
        {
            var scope = "";
            ForEach(scopeSpans, 1, instrumentationScope => scope = StringField(instrumentationScope, 1));
            ForEach(scopeSpans, 2, span => _spans.Enqueue(Span(scope, span)));
        });
    }

    private static OtlpSpan Span(string scope, ReadOnlyMemory<byte> span)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        var kind = 0;
        var attributes = new Dictionary<string, object?>();
        var input = new CodedInputStream(span.ToArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: traceId = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 2: spanId = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 4: parent = Convert.ToHexStringLower(input.ReadBytes().Span); break;
                case 5: name = input.ReadString(); break;
                case 6: kind = input.ReadEnum(); break;
                case 9:
                    var (key, value) = KeyValue(input.ReadBytes().Memory);
                    attributes[key] = value;
                    break;
                default: input.SkipLastField(); break;
            }
        }

        return new OtlpSpan(scope, traceId, spanId, parent, name, kind, attributes);
    }

    /// <summary>An attribute: <c>KeyValue { key = 1; AnyValue value = 2 }</c>, strings, booleans, integers and doubles.</summary>
    private static (string Key, object? Value) KeyValue(ReadOnlyMemory<byte> keyValue)
    {
        var key = StringField(keyValue, 1);
        object? value = null;
        ForEach(keyValue, 2, any =>
        {
            var input = new CodedInputStream(any.ToArray());
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                value = WireFormat.GetTagFieldNumber(tag) switch
                {
                    1 => input.ReadString(),
                    2 => input.ReadBool(),
                    3 => input.ReadInt64(),
                    4 => input.ReadDouble(),
                    _ => SkipField(input),
                };
            }
        });
        return (key, value);
    }

    private static object? SkipField(CodedInputStream input)
    {
        input.SkipLastField();
        return null;
    }

    /// <summary>Calls <paramref name="each"/> with every length-delimited field numbered <paramref name="field"/>.</summary>
    private static void ForEach(ReadOnlyMemory<byte> message, int field, Action<ReadOnlyMemory<byte>> each)
    {
        var input = new CodedInputStream(message.ToArray());
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == field && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
            {
                each(input.ReadBytes().Memory);
            }
            else
            {
                input.SkipLastField();
            }
        }
    }

    private static string StringField(ReadOnlyMemory<byte> message, int field)
    {
        var found = "";
        ForEach(message, field, bytes => found = System.Text.Encoding.UTF8.GetString(bytes.Span));
        return found;
    }

    public ValueTask DisposeAsync() => _listener.DisposeAsync();
}

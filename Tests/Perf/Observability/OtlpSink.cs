using Tributary.Tests.TestKit;

namespace Tributary.Tests.Perf.Observability;

/// <summary>
/// An OTLP/HTTP endpoint that takes whatever is exported to it (<c>/v1/traces</c>, <c>/v1/metrics</c>,
/// <c>/v1/logs</c>) and throws it away, counting the requests and bytes: the far end of a silo's export in a
/// measurement, standing in for a collector.
/// </summary>
internal sealed class OtlpSink : IAsyncDisposable
{
    private readonly LoopbackHttpListener _listener;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private long _requests;
    private long _bytes;

    public OtlpSink() => _listener = LoopbackHttpListener.Start(async context =>
    {
        int read;
        while ((read = await context.Request.InputStream.ReadAsync(_buffer)) > 0)
        {
            Interlocked.Add(ref _bytes, read);
        }

        Interlocked.Increment(ref _requests);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/x-protobuf";
    });

    public string Endpoint => _listener.Endpoint;

    public long Requests => Interlocked.Read(ref _requests);

    public long Bytes => Interlocked.Read(ref _bytes);

    public ValueTask DisposeAsync() => _listener.DisposeAsync();
}

namespace Tributary.Gateway.RestProxy;

/// <summary>
/// What one REST Proxy request may make the proxy hold (section <c>Tributary:RestProxy</c>). Confluent's proxy has no
/// such settings; these bound a request's body and the memory a v3 record stream can take.
/// </summary>
public sealed class RestProxyLimits
{
    public const string Section = "Tributary:RestProxy";

    /// <summary>
    /// <c>Tributary:RestProxy:StreamPendingReports</c>: how many delivery reports of a v3 record stream may wait for
    /// the client before the proxy stops reading the stream's records (backpressure). A client that reads nothing until
    /// it has sent its whole stream (HttpClient over HTTP/1.1 does) is served while its stream is shorter than this plus
    /// what the connection's buffers hold. Default 65,536 (about 10 MB of reports).
    /// </summary>
    public int StreamPendingReports { get; set; } = 1 << 16;

    /// <summary><c>Tributary:RestProxy:MaxRecordBytes</c>: the most one JSON record of a v3 stream may take before it is refused. Default 16 MiB.</summary>
    public int MaxRecordBytes { get; set; } = 16 << 20;

    /// <summary>
    /// <c>Tributary:RestProxy:MaxRequestBodyBytes</c>: the largest request body (Kestrel's MaxRequestBodySize, for this
    /// port alone); a larger one is answered 413. A v3 record stream is bounded by <see cref="MaxRecordBytes"/> and
    /// <see cref="StreamPendingReports"/> instead. Default 32 MiB.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 32L << 20;

    /// <summary>
    /// <c>Tributary:RestProxy:MaxJsonDepth</c>: the deepest nesting of a request body's JSON (of each record of a v3
    /// stream); deeper is answered 400. Deep enough for Avro data of records nested a hundred deep. Default 512.
    /// </summary>
    public int MaxJsonDepth { get; set; } = 512;
}

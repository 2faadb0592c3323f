namespace Tributary.Gateway.Connect;

/// <summary>Kafka Connect's REST API (section <c>Tributary:Connect</c>), Kafka's <c>listeners</c> by another name.</summary>
public sealed class ConnectOptions
{
    public const string Section = "Tributary:Connect";

    /// <summary><c>Tributary:Connect:Port</c> (<c>--connect-port</c>): the HTTP port of Connect's REST API; 0 turns the API off. Default 8083.</summary>
    public int Port { get; set; } = 8083;

    /// <summary>
    /// <c>Tributary:Connect:MaxRequestBodyBytes</c>: the largest request body (Kestrel's MaxRequestBodySize, for this
    /// port alone); a larger one is answered 413. Kafka's Jetty sets none; a connector's config is a few kilobytes, so
    /// this only bounds what a careless or hostile client can make the worker buffer. Default 8 MiB.
    /// </summary>
    public long MaxRequestBodyBytes { get; set; } = 8L << 20;

    /// <summary>
    /// <c>Tributary:Connect:MaxJsonDepth</c>: the deepest nesting of a request body's JSON (a source partition or offset
    /// of <c>PATCH /connectors/{c}/offsets</c> is the only nested part); deeper is answered 400. Default 64.
    /// </summary>
    public int MaxJsonDepth { get; set; } = 64;
}

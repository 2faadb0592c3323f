namespace Tributary.Grains.Hosting;

/// <summary>REST Proxy settings, Confluent's by another name.</summary>
public sealed class RestProxyOptions
{
    /// <summary>The HTTP port of the REST Proxy's API (<c>--rest-port</c>); 0 turns the API off. Default 8082.</summary>
    public int Port { get; set; } = 8082;
}

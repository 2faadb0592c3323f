namespace Tributary.Gateway.Protocol;

/// <summary>
/// A response that tells the client how long it was throttled (<c>throttle_time_ms</c>): set after its handler built
/// it, when the client's quotas (bytes or request time) are exceeded.
/// </summary>
public interface IThrottledResponse
{
    int ThrottleTimeMs { get; set; }
}

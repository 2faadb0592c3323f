using Tributary.Gateway.Protocol;
using Tributary.Grains.KafkaFormats;
using Tributary.Gateway.Protocol.Messages;

namespace Tributary.Gateway.Kafka;

/// <summary>
/// One parsed request and where it came from (<see cref="ClientHost"/> as Kafka shows it: <c>/address</c>), on which
/// listener (its name: brokers are named to the client at that listener's addresses), as which principal.
/// </summary>
public sealed record KafkaRequest(
    ApiKey ApiKey,
    short ApiVersion,
    int CorrelationId,
    string? ClientId,
    IKafkaMessage Body,
    string Connection,
    string ClientHost,
    string Listener = "PLAINTEXT",
    string Principal = KafkaSession.Anonymous)
{
    private volatile bool _frameOutOfPool;

    /// <summary>
    /// True when part of the request's frame was handed to a call that may still be running (it failed or timed out
    /// here, but may go on where it runs): the frame is then left to the garbage collector, not given back to the
    /// pool, where another request could get it while that call still writes it.
    /// </summary>
    public bool FrameOutOfPool => _frameOutOfPool;

    public void KeepFrameOutOfPool() => _frameOutOfPool = true;
}

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
    private volatile bool _closesConnection;
    private string? _clientAddress;
    private int _throttleTimeMs;
    private long _waitedTicks;

    /// <summary>
    /// The longest throttle time the handler found (a byte-rate quota the request took the client over): the connection
    /// tells the client and holds it back that long.
    /// </summary>
    public int ThrottleTimeMs => Volatile.Read(ref _throttleTimeMs);

    /// <summary>Time the handler spent waiting for data rather than working (a Fetch's wait): not request time.</summary>
    public TimeSpan Waited => TimeSpan.FromTicks(Interlocked.Read(ref _waitedTicks));

    /// <summary>Asks for the client to be throttled at least <paramref name="throttleTimeMs"/>.</summary>
    public void Throttle(int throttleTimeMs)
    {
        var current = Volatile.Read(ref _throttleTimeMs);
        while (throttleTimeMs > current)
        {
            var seen = Interlocked.CompareExchange(ref _throttleTimeMs, throttleTimeMs, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>Counts time the handler spent waiting (see <see cref="Waited"/>).</summary>
    public void AddWaited(TimeSpan waited) => Interlocked.Add(ref _waitedTicks, waited.Ticks);

    /// <summary>The client's address without the leading slash: what ACL hosts are matched against.</summary>
    public string ClientAddress => _clientAddress ??= ClientHost.StartsWith('/') ? ClientHost[1..] : ClientHost;

    /// <summary>True when the connection is to be closed once the request is handled (<see cref="CloseConnection"/>).</summary>
    public bool ClosesConnection => _closesConnection;

    /// <summary>
    /// Closes the connection once the request is handled, without a response: as Kafka does when a Produce with acks=0
    /// fails, the only way such a client learns of it.
    /// </summary>
    public void CloseConnection() => _closesConnection = true;

    /// <summary>
    /// True when part of the request's frame was handed to a call that may still be running (it failed or timed out
    /// here, but may go on where it runs): the frame is then left to the garbage collector, not given back to the
    /// pool, where another request could get it while that call still writes it.
    /// </summary>
    public bool FrameOutOfPool => _frameOutOfPool;

    public void KeepFrameOutOfPool() => _frameOutOfPool = true;
}

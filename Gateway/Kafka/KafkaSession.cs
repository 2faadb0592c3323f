using Tributary.Gateway.Kafka.Security;

namespace Tributary.Gateway.Kafka;

/// <summary>
/// One client connection as its requests see it: its name for the log, the client's host as Kafka shows it
/// (<c>/address</c>), the listener it came in on, its principal, and on a SASL listener its authentication. Until a SASL connection
/// is authenticated its frames are read one at a time, each once the one before was handled (<see cref="Handled"/>),
/// as Kafka reads a connection's authentication exchange, so that it never holds more than one frame.
/// </summary>
public sealed class KafkaSession(string name, string clientHost, string listener, SaslGate? sasl, string? certificatePrincipal = null)
{
    /// <summary>Kafka's principal of a connection that did not authenticate (a PLAINTEXT listener).</summary>
    public const string Anonymous = "User:ANONYMOUS";

    /// <summary>
    /// The client's host as Kafka writes it (Java's <c>InetAddress.toString()</c> of an unresolved address:
    /// <c>/10.0.0.5</c>, <c>/0:0:0:0:0:0:0:1</c>), as group descriptions show it and ACL hosts are matched against. An
    /// IPv4 client of a dual-mode listener is its IPv4 address; an IPv6 address has its eight groups, none elided.
    /// </summary>
    public static string ClientHostOf(System.Net.EndPoint? endPoint) =>
        endPoint is System.Net.IPEndPoint { Address: var address } ? "/" + Grains.KafkaFormats.Net.JavaHostAddress.Of(address) : "/unknown";

    private readonly SemaphoreSlim _handled = new(0);
    private long _mutedUntil;

    /// <summary>Until when (a <see cref="TimeProvider"/> timestamp) the connection is muted, its client throttled.</summary>
    public long MutedUntil
    {
        get => Volatile.Read(ref _mutedUntil);
        set => Volatile.Write(ref _mutedUntil, value);
    }

    public string Name { get; } = name;

    public string ClientHost { get; } = clientHost;

    public string Listener { get; } = listener;

    /// <summary>When the connection was last free to handle a request (its previous one answered and its mute over): a request that arrived before then waited behind it, which is not queue time.</summary>
    public long IdleSince { get; set; }

    /// <summary>The error codes of the response just written, counted for the metrics (one response at a time per connection).</summary>
    public Tributary.Gateway.Protocol.ErrorCodeCounts ErrorCodes { get; } = new();

    public SaslGate? Sasl { get; } = sasl;

    /// <summary>
    /// Who the requests come from: on a SASL listener the authenticated user, on an SSL listener the client
    /// certificate's mapped subject, else <see cref="Anonymous"/>.
    /// </summary>
    public string Principal => Sasl is not null ? Sasl.Principal ?? Anonymous : certificatePrincipal ?? Anonymous;

    /// <summary>Whether the connection must authenticate before anything else.</summary>
    public bool Unauthenticated => Sasl is { IsAuthenticated: false };

    /// <summary>A frame read before authentication was handled: the next may be read.</summary>
    public void Handled() => _handled.Release();

    /// <summary>Waits until the frame read before authentication was handled.</summary>
    public Task AwaitHandledAsync(CancellationToken cancellation) => _handled.WaitAsync(cancellation);
}

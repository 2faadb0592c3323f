using Tributary.Gateway.Kafka.Security;

namespace Tributary.Gateway.Kafka;

/// <summary>
/// One client connection as its requests see it: its name for the log, the client's host as Kafka shows it
/// (<c>/address</c>), the listener it came in on, and on a SASL listener its authentication.
/// </summary>
public sealed record KafkaSession(string Name, string ClientHost, string Listener, SaslGate? Sasl)
{
    /// <summary>Kafka's principal of a connection that did not authenticate (a PLAINTEXT listener).</summary>
    public const string Anonymous = "User:ANONYMOUS";
}

namespace Tributary.Gateway.Kafka.Security;

/// <summary>SASL on the Kafka listeners whose protocol is SASL_PLAINTEXT or SASL_SSL (configuration section <c>Tributary:Kafka:Sasl</c>).</summary>
public sealed class KafkaSaslOptions
{
    public const string Section = "Tributary:Kafka:Sasl";

    /// <summary>
    /// Kafka's <c>sasl.enabled.mechanisms</c>, comma-separated: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, OAUTHBEARER. Default <c>PLAIN</c>
    /// (Kafka's is GSSAPI, which is not served). A mechanism not served here is refused at start.
    /// </summary>
    public string EnabledMechanisms { get; set; } = SaslMechanisms.Plain;

    /// <summary>
    /// Kafka's <c>sasl.server.max.receive.size</c>: the largest frame a connection may send before it is authenticated;
    /// a larger one closes it. Default 524288.
    /// </summary>
    public int ServerMaxReceiveSize { get; set; } = 512 * 1024;

    /// <summary>
    /// The users of the PLAIN mechanism, by name, with their passwords (what Kafka's <c>PlainLoginModule</c> takes as
    /// <c>user_NAME="password"</c>). Configuration keys are case-insensitive, so two names that differ by case alone
    /// are one user here.
    /// </summary>
    public Dictionary<string, string> PlainUsers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Kafka's <c>connections.max.reauth.ms</c> (KIP-368): how long an authentication lasts before the client must
    /// authenticate again on its connection (an OAUTHBEARER one no longer than its token); 0, the default, for ever.
    /// </summary>
    public long ConnectionsMaxReauthMs { get; set; }

    /// <summary>How OAUTHBEARER tokens are checked (<c>Tributary:Kafka:Sasl:OAuthBearer</c>).</summary>
    public OAuthBearerOptions OAuthBearer { get; set; } = new();

    /// <summary>
    /// A file of PLAIN users instead of <see cref="PlainUsers"/>: a JAAS configuration (a broker's own
    /// <c>kafka_server_jaas.conf</c> serves) whose <c>user_NAME="password"</c> options are the users. It is read again
    /// when its bytes change, within a second; a change that cannot be read leaves the last users in place.
    /// </summary>
    public string? PlainUsersFile { get; set; }

    /// <summary>The enabled mechanisms, in the order given (the order SaslHandshake answers them).</summary>
    public IReadOnlyList<string> Mechanisms() =>
        EnabledMechanisms.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
}

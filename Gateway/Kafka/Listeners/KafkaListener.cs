namespace Tributary.Gateway.Kafka.Listeners;

/// <summary>
/// One Kafka listener of this silo, as Kafka's <c>listeners</c>, <c>advertised.listeners</c> and
/// <c>listener.security.protocol.map</c> describe it: its name, where it binds (an empty host: every interface), its
/// security protocol, and the address clients are told to connect to for it.
/// </summary>
public sealed record KafkaListener(string Name, string BindHost, int Port, SecurityProtocol Protocol, string AdvertisedHost, int AdvertisedPort)
{
    /// <summary>As Kafka writes a listener: <c>NAME://host:port</c>.</summary>
    public string Bound => $"{Name}://{BindHost}:{Port}";

    /// <summary>As Kafka writes an advertised listener.</summary>
    public string Advertised => $"{Name}://{AdvertisedHost}:{AdvertisedPort}";

    /// <summary>Whether clients authenticate with SASL here (SASL_PLAINTEXT, SASL_SSL).</summary>
    public bool IsSasl => Protocol is SecurityProtocol.SaslPlaintext or SecurityProtocol.SaslSsl;

    /// <summary>Whether connections are TLS (SSL, SASL_SSL).</summary>
    public bool IsTls => Protocol is SecurityProtocol.Ssl or SecurityProtocol.SaslSsl;
}

/// <summary>Kafka's security protocols (<c>security.protocol</c>, <c>listener.security.protocol.map</c>).</summary>
public enum SecurityProtocol
{
    /// <summary>Neither encrypted nor authenticated.</summary>
    Plaintext,

    /// <summary>Authenticated with SASL, not encrypted.</summary>
    SaslPlaintext,

    /// <summary>TLS.</summary>
    Ssl,

    /// <summary>SASL over TLS.</summary>
    SaslSsl,
}

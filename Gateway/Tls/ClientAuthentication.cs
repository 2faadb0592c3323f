namespace Tributary.Gateway.Tls;

/// <summary>Kafka's <c>ssl.client.auth</c>: whether a client is asked for a certificate, and must give one.</summary>
public enum ClientAuthentication
{
    /// <summary>No certificate is asked for.</summary>
    None,

    /// <summary>A certificate is asked for; a client without one connects unauthenticated, one with a bad one does not.</summary>
    Requested,

    /// <summary>A client without a certificate that chains to the truststore cannot connect.</summary>
    Required,
}

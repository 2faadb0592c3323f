namespace Tributary.Gateway.Tls;

/// <summary>
/// TLS settings of a port, under Kafka's names (<c>ssl.keystore.*</c>, <c>ssl.truststore.*</c>, <c>ssl.key.password</c>,
/// <c>ssl.client.auth</c>, <c>ssl.enabled.protocols</c>, <c>ssl.principal.mapping.rules</c>) written in PascalCase.
/// Stores are PKCS12 or PEM files, or PEM text given inline (<see cref="KeystoreCertificateChain"/>,
/// <see cref="KeystoreKey"/>, <see cref="TruststoreCertificates"/>); Java's JKS is not readable here and is refused.
/// </summary>
public sealed class TlsOptions
{
    public const string Pkcs12 = "PKCS12";
    public const string Pem = "PEM";

    /// <summary><c>ssl.keystore.type</c>: PKCS12 or PEM.</summary>
    public string KeystoreType { get; set; } = Pkcs12;

    /// <summary><c>ssl.keystore.location</c>: a PKCS12 file, or a PEM file holding the private key and the certificate chain.</summary>
    public string? KeystoreLocation { get; set; }

    /// <summary><c>ssl.keystore.password</c>: the PKCS12 file's password.</summary>
    public string? KeystorePassword { get; set; }

    /// <summary><c>ssl.key.password</c>: the password of an encrypted PEM private key.</summary>
    public string? KeyPassword { get; set; }

    /// <summary><c>ssl.keystore.certificate.chain</c>: the certificate chain as PEM text, with <see cref="KeystoreKey"/>.</summary>
    public string? KeystoreCertificateChain { get; set; }

    /// <summary><c>ssl.keystore.key</c>: the private key as PEM text, with <see cref="KeystoreCertificateChain"/>.</summary>
    public string? KeystoreKey { get; set; }

    /// <summary><c>ssl.truststore.type</c>: PKCS12 or PEM.</summary>
    public string TruststoreType { get; set; } = Pkcs12;

    /// <summary><c>ssl.truststore.location</c>: the certificates client certificates must chain to.</summary>
    public string? TruststoreLocation { get; set; }

    /// <summary><c>ssl.truststore.password</c>: the PKCS12 truststore's password.</summary>
    public string? TruststorePassword { get; set; }

    /// <summary><c>ssl.truststore.certificates</c>: trusted certificates as PEM text.</summary>
    public string? TruststoreCertificates { get; set; }

    /// <summary><c>ssl.client.auth</c>: <c>none</c>, <c>requested</c> or <c>required</c>.</summary>
    public string ClientAuth { get; set; } = "none";

    /// <summary><c>ssl.enabled.protocols</c>: TLSv1.2 and TLSv1.3, comma-separated.</summary>
    public string EnabledProtocols { get; set; } = "TLSv1.2,TLSv1.3";

    /// <summary><c>ssl.principal.mapping.rules</c>: how a client certificate's subject becomes a principal's name.</summary>
    public string PrincipalMappingRules { get; set; } = "DEFAULT";

    /// <summary>Whether anything names a keystore.</summary>
    public bool HasKeystore => !string.IsNullOrWhiteSpace(KeystoreLocation) || !string.IsNullOrWhiteSpace(KeystoreCertificateChain);

    /// <summary>Whether anything names trusted certificates.</summary>
    public bool HasTruststore => !string.IsNullOrWhiteSpace(TruststoreLocation) || !string.IsNullOrWhiteSpace(TruststoreCertificates);
}

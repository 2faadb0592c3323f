using System.Security.Cryptography.X509Certificates;

namespace Tributary.Grains.Streams.Runtime.Group;

/// <summary>
/// How the group member reaches brokers, read from the same client settings (librdkafka's names) as the
/// application's consumers and producers, so that one configuration serves both: <c>security.protocol</c>
/// (<c>plaintext</c>, <c>ssl</c>, <c>sasl_plaintext</c>, <c>sasl_ssl</c>); for TLS <c>ssl.ca.location</c> or
/// <c>ssl.ca.pem</c>, a client certificate from <c>ssl.certificate.location</c>/<c>ssl.key.location</c> (with
/// <c>ssl.key.password</c>) or their <c>.pem</c> forms, <c>enable.ssl.certificate.verification</c> and
/// <c>ssl.endpoint.identification.algorithm</c> (<c>https</c> checks the broker's name, librdkafka's default);
/// for SASL <c>sasl.mechanism</c> (<c>PLAIN</c>, <c>SCRAM-SHA-256</c>, <c>SCRAM-SHA-512</c>) with
/// <c>sasl.username</c> and <c>sasl.password</c>, or <c>OAUTHBEARER</c> with <c>sasl.oauthbearer.method=oidc</c>
/// (a token from <c>sasl.oauthbearer.token.endpoint.url</c> by the client credentials grant with
/// <c>sasl.oauthbearer.client.id</c>, <c>sasl.oauthbearer.client.secret</c> and <c>sasl.oauthbearer.scope</c>, and
/// <c>sasl.oauthbearer.extensions</c>). Anything else the member cannot do is refused when the settings are read
/// (<see cref="ArgumentException"/>), never ignored.
/// </summary>
internal sealed record ClientSecurity(
    bool Tls,
    string? SaslMechanism,
    string? SaslUsername,
    string? SaslPassword,
    X509Certificate2Collection? TrustedAuthorities,
    X509Certificate2? ClientCertificate,
    bool VerifyCertificate,
    bool VerifyHostName,
    OidcClientCredentials? Oidc = null)
{
    public static ClientSecurity Plaintext { get; } = new(false, null, null, null, null, null, true, true);

    public static ClientSecurity From(IReadOnlyDictionary<string, string> config)
    {
        var protocol = config.GetValueOrDefault("security.protocol", "plaintext").ToLowerInvariant();
        var (tls, sasl) = protocol switch
        {
            "plaintext" => (false, false),
            "ssl" => (true, false),
            "sasl_plaintext" => (false, true),
            "sasl_ssl" => (true, true),
            _ => throw new ArgumentException($"security.protocol {protocol} is not one of plaintext, ssl, sasl_plaintext, sasl_ssl"),
        };

        if (tls && config.GetValueOrDefault("ssl.keystore.location") is { Length: > 0 })
        {
            throw new ArgumentException("The stream group member takes its client certificate from ssl.certificate.location and ssl.key.location (PEM), not ssl.keystore.location");
        }

        string? mechanism = null;
        if (sasl)
        {
            // librdkafka's default mechanism is GSSAPI, which the group member does not speak.
            mechanism = (config.GetValueOrDefault("sasl.mechanism") ?? config.GetValueOrDefault("sasl.mechanisms") ?? "GSSAPI").ToUpperInvariant();
            if (mechanism is not ("PLAIN" or "SCRAM-SHA-256" or "SCRAM-SHA-512" or "OAUTHBEARER"))
            {
                throw new ArgumentException($"The stream group member authenticates with PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER, not sasl.mechanism {mechanism}");
            }
        }

        var oidc = mechanism == "OAUTHBEARER" ? OidcClientCredentials.From(config) : null;

        return new ClientSecurity(
            tls,
            mechanism,
            sasl ? config.GetValueOrDefault("sasl.username") : null,
            sasl ? config.GetValueOrDefault("sasl.password") : null,
            tls ? Authorities(config) : null,
            tls ? Certificate(config) : null,
            !string.Equals(config.GetValueOrDefault("enable.ssl.certificate.verification"), "false", StringComparison.OrdinalIgnoreCase),
            !string.Equals(config.GetValueOrDefault("ssl.endpoint.identification.algorithm", "https"), "none", StringComparison.OrdinalIgnoreCase),
            oidc);
    }

    private static X509Certificate2Collection? Authorities(IReadOnlyDictionary<string, string> config)
    {
        var authorities = new X509Certificate2Collection();
        if (config.GetValueOrDefault("ssl.ca.location") is { Length: > 0 } file)
        {
            authorities.ImportFromPemFile(file);
        }
        else if (config.GetValueOrDefault("ssl.ca.pem") is { Length: > 0 } pem)
        {
            authorities.ImportFromPem(pem);
        }
        else
        {
            // The system's trust store.
            return null;
        }

        return authorities;
    }

    private static X509Certificate2? Certificate(IReadOnlyDictionary<string, string> config)
    {
        var password = config.GetValueOrDefault("ssl.key.password");
        if (config.GetValueOrDefault("ssl.certificate.location") is { Length: > 0 } certificateFile)
        {
            var keyFile = config.GetValueOrDefault("ssl.key.location");
            return password is null
                ? X509Certificate2.CreateFromPemFile(certificateFile, keyFile)
                : X509Certificate2.CreateFromEncryptedPemFile(certificateFile, password, keyFile);
        }

        if (config.GetValueOrDefault("ssl.certificate.pem") is { Length: > 0 } certificatePem)
        {
            var keyPem = config.GetValueOrDefault("ssl.key.pem") ?? certificatePem;
            return password is null
                ? X509Certificate2.CreateFromPem(certificatePem, keyPem)
                : X509Certificate2.CreateFromEncryptedPem(certificatePem, keyPem, password);
        }

        return null;
    }
}

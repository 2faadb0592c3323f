using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Tributary.Gateway.Tls;

/// <summary>
/// The server side of TLS on one port, from its <see cref="TlsOptions"/>: the handshake settings of each connection
/// (the keystore's current certificate, the enabled protocols, whether a client certificate is asked for), the check
/// of a client certificate against the truststore, and the principal it maps to. Settings that cannot be served, or
/// would be ignored, are refused by <see cref="Create"/> with the setting's name.
/// </summary>
public sealed partial class TlsServer
{
    private readonly ReloadingStore<SslStreamCertificateContext> _keystore;
    private readonly ReloadingStore<X509Certificate2Collection>? _truststore;
    private readonly SslPrincipalMapper _mapper;
    private readonly ILogger _logger;
    private readonly RefusalLog _refusals;

    private TlsServer(TlsOptions options, ClientAuthentication clientAuth, SslProtocols protocols, SslPrincipalMapper mapper, ILogger logger, TimeProvider time)
    {
        ClientAuth = clientAuth;
        Protocols = protocols;
        _mapper = mapper;
        _logger = logger;
        _refusals = new RefusalLog(time);
        _keystore = new ReloadingStore<SslStreamCertificateContext>(
            () => CertificateStores.LoadKeystore(options), options.KeystoreCertificateChain is null ? options.KeystoreLocation : null, time,
            e => LogReloadFailed(logger, "keystore", options.KeystoreLocation, e.Message));
        if (options.HasTruststore)
        {
            _truststore = new ReloadingStore<X509Certificate2Collection>(
                () => CertificateStores.LoadTruststore(options), options.TruststoreCertificates is null ? options.TruststoreLocation : null, time,
                e => LogReloadFailed(logger, "truststore", options.TruststoreLocation, e.Message));
        }
    }

    public ClientAuthentication ClientAuth { get; }

    public SslProtocols Protocols { get; }

    /// <summary>How long a client may take over its handshake before the connection is closed.</summary>
    public static TimeSpan HandshakeTimeout { get; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The TLS server of <paramref name="options"/>; throws <see cref="InvalidOperationException"/> naming
    /// <paramref name="section"/> and the setting when they cannot be served or would be ignored.
    /// </summary>
    public static TlsServer Create(TlsOptions options, string section, ILogger logger, TimeProvider? time = null)
    {
        InvalidOperationException Invalid(string reason) => new($"{section}: {reason}");

        foreach (var (setting, type) in new[] { ("KeystoreType", options.KeystoreType), ("TruststoreType", options.TruststoreType) })
        {
            if (!CertificateStores.IsPem(type) && !CertificateStores.IsPkcs12(type))
            {
                throw Invalid($"{setting} {type} is not served: PKCS12 or PEM (a JKS store converts with keytool -importkeystore -deststoretype PKCS12).");
            }
        }

        if (!options.HasKeystore)
        {
            throw Invalid("a TLS port needs KeystoreLocation, or KeystoreCertificateChain with KeystoreKey.");
        }

        if (!string.IsNullOrEmpty(options.KeyPassword) && CertificateStores.IsPkcs12(options.KeystoreType) && options.KeystoreCertificateChain is null)
        {
            throw Invalid("KeyPassword is for an encrypted PEM key; a PKCS12 keystore takes KeystorePassword.");
        }

        var clientAuth = options.ClientAuth.Trim().ToLowerInvariant() switch
        {
            "none" => ClientAuthentication.None,
            "requested" => ClientAuthentication.Requested,
            "required" => ClientAuthentication.Required,
            _ => throw Invalid($"ClientAuth '{options.ClientAuth}' is not none, requested or required."),
        };
        if (clientAuth == ClientAuthentication.None && options.HasTruststore)
        {
            throw Invalid("a truststore is set, but ClientAuth is none: no client certificate would be checked against it.");
        }

        if (clientAuth != ClientAuthentication.None && !options.HasTruststore)
        {
            throw Invalid($"ClientAuth {options.ClientAuth} needs TruststoreLocation or TruststoreCertificates to check client certificates against.");
        }

        var protocols = SslProtocols.None;
        foreach (var name in options.EnabledProtocols.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            protocols |= name switch
            {
                "TLSv1.2" => SslProtocols.Tls12,
                "TLSv1.3" => SslProtocols.Tls13,
                _ => throw Invalid($"EnabledProtocols names {name}; served: TLSv1.2, TLSv1.3."),
            };
        }

        if (protocols == SslProtocols.None)
        {
            throw Invalid("EnabledProtocols names no protocol.");
        }

        SslPrincipalMapper mapper;
        try
        {
            mapper = SslPrincipalMapper.Parse(options.PrincipalMappingRules);
        }
        catch (ArgumentException e)
        {
            throw Invalid($"PrincipalMappingRules: {e.Message}");
        }

        if (clientAuth == ClientAuthentication.None && options.PrincipalMappingRules.Trim() != "DEFAULT")
        {
            throw Invalid("PrincipalMappingRules are set, but ClientAuth is none: no client certificate would be mapped.");
        }

        try
        {
            return new TlsServer(options, clientAuth, protocols, mapper, logger, time ?? TimeProvider.System);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw Invalid($"the keystore or truststore cannot be read: {e.Message}");
        }
    }

    /// <summary>A connection's handshake settings, with the keystore as it is now.</summary>
    public SslServerAuthenticationOptions HandshakeOptions() => new()
    {
        ServerCertificateContext = _keystore.Current,
        EnabledSslProtocols = Protocols,
        ClientCertificateRequired = ClientAuth != ClientAuthentication.None,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = (_, certificate, chain, _) => Accepts(certificate, chain),
    };

    /// <summary>
    /// Whether a client may go on with <paramref name="certificate"/>: none, unless one is required; one that chains to
    /// the truststore. As Java's TLS does, a certificate that was only asked for must still be good when given.
    /// </summary>
    public bool Accepts(X509Certificate? certificate, X509Chain? sent)
    {
        if (certificate is null)
        {
            if (ClientAuth == ClientAuthentication.Required)
            {
                Refused("gave no certificate");
                return false;
            }

            return true;
        }

        if (_truststore is null)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_truststore.Current);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (sent is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(sent.ChainPolicy.ExtraStore);
            foreach (var element in sent.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (chain.Build(leaf))
        {
            return true;
        }

        Refused("gave a certificate that does not chain to the truststore");
        return false;
    }

    /// <summary>
    /// The principal of a client certificate, <c>User:</c> and the name the mapping rules give its subject, or null
    /// when no rule applies (Kafka then fails the authentication).
    /// </summary>
    public string? PrincipalOf(X509Certificate2 certificate)
    {
        var subject = DistinguishedNames.Rfc2253(certificate.SubjectName);
        if (_mapper.Map(subject) is { } name)
        {
            return "User:" + name;
        }

        Refused("gave a certificate whose subject no principal mapping rule applies to");
        return null;
    }

    private void Refused(string why)
    {
        if (_refusals.ShouldLog(out var suppressed))
        {
            LogRefused(_logger, why, suppressed);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS client refused: it {Why} ({Suppressed} more refusals not logged)")]
    private static partial void LogRefused(ILogger logger, string why, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The changed {Store} {Path} cannot be loaded; the last one stays in use: {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string store, string? path, string reason);
}

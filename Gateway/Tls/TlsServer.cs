using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Tributary.Gateway.Tls;

/// <summary>
/// The server side of TLS on one port, from its <see cref="TlsOptions"/>: the handshake settings of each connection
/// (the keystore's current certificate, the enabled protocols, whether a client certificate is asked for, and the chain
/// policy it is checked with: the truststore's roots, the clientAuth purpose, nothing fetched from the network), and the
/// principal a client certificate maps to. Settings that cannot be served, or would be ignored, are refused by
/// <see cref="Create"/> with the setting's name.
/// </summary>
public sealed partial class TlsServer
{
    /// <summary>The extended key usage a client certificate must allow, when it names its usages (as Java checks).</summary>
    private static readonly Oid ClientAuthenticationUsage = new("1.3.6.1.5.5.7.3.2");

    private readonly ReloadingStore<SslStreamCertificateContext> _keystore;
    private readonly ReloadingStore<X509Certificate2Collection>? _truststore;
    private readonly SslPrincipalMapper _mapper;
    private readonly ILogger _logger;
    private readonly RefusalLog _refusals;

    private TlsServer(
        ReloadingStore<SslStreamCertificateContext> keystore, ReloadingStore<X509Certificate2Collection>? truststore, ClientAuthentication clientAuth,
        SslProtocols protocols, SslPrincipalMapper mapper, ILogger logger, TimeProvider time)
    {
        _keystore = keystore;
        _truststore = truststore;
        ClientAuth = clientAuth;
        Protocols = protocols;
        _mapper = mapper;
        _logger = logger;
        _refusals = new RefusalLog(time);
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

        if (TlsSettings.Invalid(options) is { } reason)
        {
            throw Invalid(reason);
        }

        var clientAuth = TlsSettings.ClientAuth(options) ?? throw Invalid($"ClientAuth '{options.ClientAuth}' is not none, requested or required.");
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

        time ??= TimeProvider.System;
        var keystore = Load("keystore", options.KeystoreLocation, () => new ReloadingStore<SslStreamCertificateContext>(
            () => CertificateStores.LoadKeystore(options), options.KeystoreCertificateChain is null ? options.KeystoreLocation : null, time,
            e => LogReloadFailed(logger, "keystore", options.KeystoreLocation, e.Message)));
        var truststore = !options.HasTruststore ? null : Load("truststore", options.TruststoreLocation, () => new ReloadingStore<X509Certificate2Collection>(
            () => CertificateStores.LoadTruststore(options), options.TruststoreCertificates is null ? options.TruststoreLocation : null, time,
            e => LogReloadFailed(logger, "truststore", options.TruststoreLocation, e.Message)));
        return new TlsServer(keystore, truststore, clientAuth, protocols, mapper, logger, time);

        T Load<T>(string store, string? path, Func<T> load)
        {
            try
            {
                return load();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or InvalidOperationException)
            {
                throw Invalid($"the {store} {path ?? "(inline PEM)"} cannot be read: {e.Message}");
            }
        }
    }

    /// <summary>
    /// A connection's handshake settings, with the stores as they are now. Without <paramref name="authenticatesClients"/>
    /// (a SASL_SSL listener, where SASL authenticates) no client certificate is asked for.
    /// </summary>
    public SslServerAuthenticationOptions HandshakeOptions(bool authenticatesClients = true)
    {
        var asks = authenticatesClients && ClientAuth != ClientAuthentication.None;
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = _keystore.Current,
            EnabledSslProtocols = Protocols,
            ClientCertificateRequired = asks,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            CertificateChainPolicy = asks ? ClientChainPolicy() : null,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) => !asks || Accepts(certificate, errors),
        };
    }

    /// <summary>
    /// How a client certificate is checked: it must chain to a root of the truststore and allow client authentication,
    /// and nothing is fetched from the addresses a certificate names (a client could otherwise make the broker call out).
    /// </summary>
    public X509ChainPolicy ClientChainPolicy() => ChainPolicy(ClientAuthenticationUsage);

    /// <summary>
    /// How a peer's certificate is checked: it must chain to a root of the truststore and allow each of
    /// <paramref name="usages"/>; nothing is fetched.
    /// </summary>
    public X509ChainPolicy ChainPolicy(params Oid[] usages)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
            DisableCertificateDownloads = true,
        };
        foreach (var usage in usages)
        {
            policy.ApplicationPolicy.Add(usage);
        }

        if (_truststore is not null)
        {
            policy.CustomTrustStore.AddRange(_truststore.Current);
        }

        return policy;
    }

    /// <summary>
    /// Whether a client may go on, given its certificate and what checking it with <see cref="ClientChainPolicy"/>
    /// found: no certificate, unless one is required; one that passed. As Java's TLS does, a certificate that was only
    /// asked for must still be good when given.
    /// </summary>
    public bool Accepts(X509Certificate? certificate, SslPolicyErrors errors)
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

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        Refused("gave a certificate that does not chain to the truststore, or is not for client authentication");
        return false;
    }

    /// <summary>
    /// The principal of a client certificate, <c>User:</c> and the name the mapping rules give its subject, or null
    /// when no rule applies (Kafka then fails the authentication) or the subject cannot be read.
    /// </summary>
    public string? PrincipalOf(X509Certificate2 certificate)
    {
        try
        {
            if (_mapper.Map(DistinguishedNames.Rfc2253(certificate.SubjectName)) is { } name)
            {
                return "User:" + name;
            }

            Refused("gave a certificate whose subject no principal mapping rule applies to");
        }
        catch (Exception e) when (e is System.Formats.Asn1.AsnContentException or System.Text.RegularExpressions.RegexMatchTimeoutException or CryptographicException)
        {
            Refused($"gave a certificate whose subject cannot be mapped ({e.GetType().Name})");
        }

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

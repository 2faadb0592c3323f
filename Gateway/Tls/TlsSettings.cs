namespace Tributary.Gateway.Tls;

/// <summary>
/// What makes <see cref="TlsOptions"/> unservable, or partly ignored, as Kafka's keystore and truststore factories
/// refuse the same combinations: a store given twice, a password that belongs to another kind of store, client
/// certificate settings without client certificates.
/// </summary>
public static class TlsSettings
{
    /// <summary><see cref="TlsOptions.ClientAuth"/> read, or null when it is none of Kafka's values.</summary>
    public static ClientAuthentication? ClientAuth(TlsOptions options) => options.ClientAuth.Trim().ToLowerInvariant() switch
    {
        "none" => ClientAuthentication.None,
        "requested" => ClientAuthentication.Requested,
        "required" => ClientAuthentication.Required,
        _ => null,
    };

    /// <summary>Why the settings cannot be honoured, or null.</summary>
    public static string? Invalid(TlsOptions options)
    {
        foreach (var (setting, type) in new[] { ("KeystoreType", options.KeystoreType), ("TruststoreType", options.TruststoreType) })
        {
            if (!CertificateStores.IsPem(type) && !CertificateStores.IsPkcs12(type))
            {
                return $"{setting} {type} is not served: PKCS12 or PEM (a JKS store converts with keytool -importkeystore -deststoretype PKCS12).";
            }
        }

        var inlineKeystore = Given(options.KeystoreCertificateChain) || Given(options.KeystoreKey);
        var pemKeystore = CertificateStores.IsPem(options.KeystoreType);
        var pemTruststore = CertificateStores.IsPem(options.TruststoreType);
        string? reason = null;
        if (!options.HasKeystore && !inlineKeystore)
        {
            reason = "a TLS port needs KeystoreLocation, or KeystoreCertificateChain with KeystoreKey.";
        }
        else if (inlineKeystore && Given(options.KeystoreLocation))
        {
            reason = "KeystoreLocation and KeystoreCertificateChain/KeystoreKey name two keystores; give one.";
        }
        else if (inlineKeystore && !(Given(options.KeystoreCertificateChain) && Given(options.KeystoreKey)))
        {
            reason = "KeystoreCertificateChain and KeystoreKey go together.";
        }
        else if (inlineKeystore && !pemKeystore)
        {
            reason = "KeystoreCertificateChain and KeystoreKey are PEM text: set KeystoreType PEM.";
        }
        else if (pemKeystore && Given(options.KeystorePassword))
        {
            reason = "KeystorePassword is for a PKCS12 keystore; an encrypted PEM key takes KeyPassword.";
        }
        else if (!pemKeystore && Given(options.KeyPassword) && options.KeyPassword != options.KeystorePassword)
        {
            reason = "KeyPassword differs from KeystorePassword: a PKCS12 keystore's key is read with the keystore's password.";
        }
        else if (Given(options.TruststoreLocation) && Given(options.TruststoreCertificates))
        {
            reason = "TruststoreLocation and TruststoreCertificates name two truststores; give one.";
        }
        else if (Given(options.TruststoreCertificates) && !pemTruststore)
        {
            reason = "TruststoreCertificates are PEM text: set TruststoreType PEM.";
        }
        else if (pemTruststore && Given(options.TruststorePassword))
        {
            reason = "TruststorePassword is for a PKCS12 truststore; a PEM one has none.";
        }

        return reason ?? InvalidClientAuthentication(options);
    }

    private static string? InvalidClientAuthentication(TlsOptions options)
    {
        var clientAuth = ClientAuth(options);
        if (clientAuth is null)
        {
            return null;
        }

        if (clientAuth == ClientAuthentication.None && options.HasTruststore)
        {
            return "a truststore is set, but ClientAuth is none: no client certificate would be checked against it.";
        }

        if (clientAuth != ClientAuthentication.None && !options.HasTruststore)
        {
            return $"ClientAuth {options.ClientAuth} needs TruststoreLocation or TruststoreCertificates to check client certificates against.";
        }

        return clientAuth == ClientAuthentication.None && options.PrincipalMappingRules.Trim() != "DEFAULT"
            ? "PrincipalMappingRules are set, but ClientAuth is none: no client certificate would be mapped."
            : null;
    }

    private static bool Given(string? value) => !string.IsNullOrWhiteSpace(value);
}

using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tributary.Gateway.Tls;

/// <summary>Reads keystores and truststores as <see cref="TlsOptions"/> names them: PKCS12 or PEM, in files or inline.</summary>
public static class CertificateStores
{
    /// <summary>The server's certificate with its chain, ready for handshakes.</summary>
    public static SslStreamCertificateContext LoadKeystore(TlsOptions options)
    {
        X509Certificate2Collection certificates;
        X509Certificate2 leaf;
        if (!string.IsNullOrWhiteSpace(options.KeystoreCertificateChain))
        {
            if (string.IsNullOrWhiteSpace(options.KeystoreKey))
            {
                throw new InvalidOperationException("KeystoreCertificateChain needs KeystoreKey.");
            }

            leaf = string.IsNullOrEmpty(options.KeyPassword)
                ? X509Certificate2.CreateFromPem(options.KeystoreCertificateChain, options.KeystoreKey)
                : X509Certificate2.CreateFromEncryptedPem(options.KeystoreCertificateChain, options.KeystoreKey, options.KeyPassword);
            certificates = [];
            certificates.ImportFromPem(options.KeystoreCertificateChain);
        }
        else if (IsPem(options.KeystoreType))
        {
            var path = Existing(options.KeystoreLocation);
            leaf = string.IsNullOrEmpty(options.KeyPassword)
                ? X509Certificate2.CreateFromPemFile(path, path)
                : X509Certificate2.CreateFromEncryptedPemFile(path, options.KeyPassword, path);
            certificates = [];
            certificates.ImportFromPemFile(path);
        }
        else
        {
            certificates = X509CertificateLoader.LoadPkcs12CollectionFromFile(Existing(options.KeystoreLocation), options.KeystorePassword);
            leaf = certificates.FirstOrDefault(c => c.HasPrivateKey)
                ?? throw new InvalidOperationException($"The keystore {options.KeystoreLocation} holds no private key.");
        }

        // A key read from PEM lives in memory only; PKCS12 bytes give every platform's TLS a key it can use.
        var usable = X509CertificateLoader.LoadPkcs12(leaf.Export(X509ContentType.Pkcs12), null);
        var chain = new X509Certificate2Collection(certificates.Where(c => c.Thumbprint != leaf.Thumbprint).ToArray());
        leaf.Dispose();
        return SslStreamCertificateContext.Create(usable, chain, offline: true);
    }

    /// <summary>The certificates a client certificate must chain to.</summary>
    public static X509Certificate2Collection LoadTruststore(TlsOptions options)
    {
        X509Certificate2Collection certificates = [];
        if (!string.IsNullOrWhiteSpace(options.TruststoreCertificates))
        {
            certificates.ImportFromPem(options.TruststoreCertificates);
        }
        else if (IsPem(options.TruststoreType))
        {
            certificates.ImportFromPemFile(Existing(options.TruststoreLocation));
        }
        else
        {
            certificates = X509CertificateLoader.LoadPkcs12CollectionFromFile(Existing(options.TruststoreLocation), options.TruststorePassword);
        }

        // Client certificates are checked against the truststore's roots: an issuing authority alone would trust no one.
        return certificates.Any(c => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData))
            ? certificates
            : throw new CryptographicException("The truststore holds no self-signed root certificate: add the root that its authorities chain to.");
    }

    /// <summary>A store file's path, when it exists: the cryptography's own error for a missing file names neither.</summary>
    private static string Existing(string? path) =>
        File.Exists(path) ? path! : throw new FileNotFoundException($"{path} does not exist.", path);

    public static bool IsPem(string type) => string.Equals(type, TlsOptions.Pem, StringComparison.OrdinalIgnoreCase);

    public static bool IsPkcs12(string type) => string.Equals(type, TlsOptions.Pkcs12, StringComparison.OrdinalIgnoreCase);
}

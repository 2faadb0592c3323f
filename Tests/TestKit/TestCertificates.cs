using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tributary.Tests.TestKit;

/// <summary>
/// A certificate authority of a test's own, and the server and client certificates it issues, written where clients
/// and the platform read them: PEM files (certificate chain then private key, as Kafka's PEM keystores hold them),
/// PKCS12 files with a password, and the authority's certificate alone as a truststore or a client's CA file.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    public const string Password = "store-secret";

    private readonly TempDirectory _directory = new();

    public TestCertificates(string authorityName = "CN=Tributary Test CA,O=Tributary")
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(authorityName, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        AuthorityPem = Write("ca.pem", Authority.ExportCertificatePem());
    }

    /// <summary>The authority, with its private key.</summary>
    public X509Certificate2 Authority { get; }

    /// <summary>A PEM file holding the authority's certificate: a truststore, or a client's <c>ssl.ca.location</c>.</summary>
    public string AuthorityPem { get; }

    public string Directory => _directory.Path;

    /// <summary>A certificate for <c>localhost</c> and 127.0.0.1, issued by the authority.</summary>
    public X509Certificate2 IssueServer(string subject = "CN=localhost") =>
        Issue(subject, server: true);

    /// <summary>A client certificate with <paramref name="subject"/>, issued by the authority.</summary>
    public X509Certificate2 IssueClient(string subject) => Issue(subject, server: false);

    /// <summary>A certificate for a silo, which is server and client of its peers: both usages, localhost and 127.0.0.1.</summary>
    public X509Certificate2 IssuePeer(string subject) => Issue(subject, server: true, client: true);

    /// <summary>A certificate issued by the authority, with its private key.</summary>
    public X509Certificate2 Issue(string subject, bool server, bool client = false)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        var usages = new OidCollection();
        if (server)
        {
            usages.Add(new Oid("1.3.6.1.5.5.7.3.1"));
        }

        if (client || !server)
        {
            usages.Add(new Oid("1.3.6.1.5.5.7.3.2"));
        }

        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        if (server)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var issued = request.Create(Authority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMonths(6), serial);
        return issued.CopyWithPrivateKey(key);
    }

    /// <summary>A certificate that signs itself: no authority of ours vouches for it.</summary>
    public static X509Certificate2 SelfSigned(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMonths(6));
    }

    /// <summary>Writes a certificate and its private key to one PEM file (Kafka's PEM keystore), returning its path.</summary>
    public string WritePem(string name, X509Certificate2 certificate) =>
        Write(name, certificate.ExportCertificatePem() + "\n" + certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n");

    /// <summary>Writes a certificate's and its key's PEM to two files (a client's certificate and key locations).</summary>
    public (string Certificate, string Key) WritePemPair(string name, X509Certificate2 certificate) =>
        (Write(name + ".crt", certificate.ExportCertificatePem()), Write(name + ".key", certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem()));

    /// <summary>Writes a certificate with its key and the authority to a PKCS12 file protected by <see cref="Password"/>.</summary>
    public string WritePkcs12(string name, X509Certificate2 certificate)
    {
        var collection = new X509Certificate2Collection { certificate, X509CertificateLoader.LoadCertificate(Authority.RawData) };
        var path = System.IO.Path.Combine(Directory, name);
        File.WriteAllBytes(path, collection.Export(X509ContentType.Pkcs12, Password)!);
        return path;
    }

    /// <summary>Replaces a file as a renewal does: the new content written beside it, then moved over it.</summary>
    public static void Replace(string path, string withContentOf)
    {
        var next = path + ".next";
        File.Copy(withContentOf, next, overwrite: true);
        File.Move(next, path, overwrite: true);
    }

    public void Dispose()
    {
        Authority.Dispose();
        _directory.Dispose();
    }

    private string Write(string name, string text)
    {
        var path = System.IO.Path.Combine(Directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}

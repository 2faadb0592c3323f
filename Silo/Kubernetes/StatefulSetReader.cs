using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Tributary.Silo.Kubernetes;

/// <summary>
/// Reads how many replicas the pod's StatefulSet wants, from the Kubernetes API with the pod's service account
/// (a Role granting <c>get</c> on <c>statefulsets</c>, which the manifests and the Helm chart create).
/// </summary>
public sealed class StatefulSetReader(IOptions<KubernetesOptions> options)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary><c>spec.replicas</c> of the StatefulSet (1 when the field is absent, as Kubernetes defaults it).</summary>
    public async Task<int> ReplicasAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var directory = settings.ServiceAccountDirectory;
        var apiServer = (string.IsNullOrEmpty(settings.ApiServer) ? InClusterApiServer() : settings.ApiServer).TrimEnd('/');
        var ns = string.IsNullOrEmpty(settings.Namespace) ? (await File.ReadAllTextAsync(Path.Combine(directory, "namespace"), cancellationToken)).Trim() : settings.Namespace;
        var name = string.IsNullOrEmpty(settings.StatefulSet) ? StatefulSetOfPod() : settings.StatefulSet;

        using var http = new HttpClient(Handler(apiServer, Path.Combine(directory, "ca.crt"))) { Timeout = RequestTimeout };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{apiServer}/apis/apps/v1/namespaces/{Uri.EscapeDataString(ns)}/statefulsets/{Uri.EscapeDataString(name)}");
        var tokenFile = Path.Combine(directory, "token");
        if (File.Exists(tokenFile))
        {
            // Read at every call: Kubernetes rotates projected service account tokens.
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (await File.ReadAllTextAsync(tokenFile, cancellationToken)).Trim());
        }

        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return document.RootElement.TryGetProperty("spec", out var spec) && spec.TryGetProperty("replicas", out var replicas) ? replicas.GetInt32() : 1;
    }

    private static string InClusterApiServer()
    {
        var host = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST");
        var port = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new InvalidOperationException("Not in a Kubernetes pod (no KUBERNETES_SERVICE_HOST) and no Tributary:Kubernetes:ApiServer set.");
        }

        return host.Contains(':', StringComparison.Ordinal) ? $"https://[{host}]:{port}" : $"https://{host}:{port}";
    }

    private static string StatefulSetOfPod()
    {
        var pod = Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.GetEnvironmentVariable("HOSTNAME")
            ?? throw new InvalidOperationException("The pod's name is unknown (no POD_NAME or HOSTNAME) and no Tributary:Kubernetes:StatefulSet set.");
        var dash = pod.LastIndexOf('-');
        return dash > 0 && int.TryParse(pod.AsSpan(dash + 1), out _) ? pod[..dash]
            : throw new InvalidOperationException($"Pod {pod} is not named as a StatefulSet's pod (name-ordinal): set Tributary:Kubernetes:StatefulSet.");
    }

    /// <summary>Over HTTPS, the API server's certificate is checked against the service account's CA alone.</summary>
    private static SocketsHttpHandler Handler(string apiServer, string caFile)
    {
        var handler = new SocketsHttpHandler();
        if (apiServer.StartsWith("https:", StringComparison.OrdinalIgnoreCase) && File.Exists(caFile))
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(caFile);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                return chain.Build(leaf);
            };
        }

        return handler;
    }
}

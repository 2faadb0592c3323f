using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Silo.Cluster;

/// <summary>
/// The part of a Kubernetes API server a Tributary pod reads when it stops: GET of one StatefulSet, answered with the
/// replicas the test sets, to callers that present the service account token; and the service account directory
/// (token, namespace) a pod has mounted. Kubernetes itself cannot run here; this serves the same path and JSON shape.
/// </summary>
public sealed class StatefulSetApiServer : IAsyncDisposable
{
    public const string Token = "service-account-token";
    public const string Namespace = "streaming";
    public const string Name = "tributary";

    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public StatefulSetApiServer()
    {
        Port = TestPorts.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        ServiceAccountDirectory = Directory.CreateTempSubdirectory("tributary-serviceaccount-").FullName;
        File.WriteAllText(Path.Combine(ServiceAccountDirectory, "token"), Token + "\n");
        File.WriteAllText(Path.Combine(ServiceAccountDirectory, "namespace"), Namespace);
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public string ServiceAccountDirectory { get; }

    /// <summary>The StatefulSet's <c>spec.replicas</c>.</summary>
    public int Replicas { get; set; } = 3;

    /// <summary>Every request: method, path and whether it carried the token.</summary>
    public ConcurrentQueue<(string Method, string Path, bool Authorized)> Requests { get; } = new();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            var authorized = context.Request.Headers["Authorization"] == "Bearer " + Token;
            var path = context.Request.Url!.AbsolutePath;
            Requests.Enqueue((context.Request.HttpMethod, path, authorized));
            var (status, body) = !authorized ? (401, """{"kind":"Status","status":"Failure","reason":"Unauthorized","code":401}""")
                : context.Request.HttpMethod == "GET" && path == $"/apis/apps/v1/namespaces/{Namespace}/statefulsets/{Name}"
                    ? (200, JsonSerializer.Serialize(new
                    {
                        kind = "StatefulSet",
                        apiVersion = "apps/v1",
                        metadata = new { name = Name, @namespace = Namespace },
                        spec = new { replicas = Replicas },
                        status = new { replicas = Replicas },
                    }))
                    : (404, """{"kind":"Status","status":"Failure","reason":"NotFound","code":404}""");
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _serving;
        Directory.Delete(ServiceAccountDirectory, recursive: true);
    }
}

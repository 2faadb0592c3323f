using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tributary.Tests.Gateway.SchemaRegistry;

/// <summary>The registry's API over plain HttpClient, as curl and the Java client speak it.</summary>
internal sealed class RegistryHttp(string url) : IDisposable
{
    public const string ContentType = "application/vnd.schemaregistry.v1+json";

    private readonly HttpClient _http = new() { BaseAddress = new Uri(url) };

    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, object? body = null, string contentType = ContentType)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            var text = body as string ?? JsonSerializer.Serialize(body);
            request.Content = new StringContent(text, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await _http.SendAsync(request);
        var content = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, content.Length == 0 ? null : JsonNode.Parse(content));
    }

    public Task<(int Status, JsonNode? Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    public Task<(int Status, JsonNode? Body)> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path);

    public Task<(int Status, JsonNode? Body)> PostAsync(string path, object body) => SendAsync(HttpMethod.Post, path, body);

    public Task<(int Status, JsonNode? Body)> PutAsync(string path, object body) => SendAsync(HttpMethod.Put, path, body);

    public async Task<int> RegisterAsync(string subject, string schema, object[]? references = null)
    {
        // Relative, so that a client of a context path (http://host/contexts/.ctx/) registers there.
        var (status, body) = await PostAsync($"subjects/{Uri.EscapeDataString(subject)}/versions",
            references is null ? new { schema } : new { schema, references });
        if (status != 200)
        {
            throw new InvalidOperationException($"Register {subject}: {status} {body?.ToJsonString()}");
        }

        return body!["id"]!.GetValue<int>();
    }

    public static int ErrorCode((int Status, JsonNode? Body) response) => response.Body?["error_code"]?.GetValue<int>() ?? 0;

    public static List<int> Ints(JsonNode? body) => body!.AsArray().Select(n => n!.GetValue<int>()).ToList();

    public static List<string> Strings(JsonNode? body) => body!.AsArray().Select(n => n!.GetValue<string>()).ToList();

    public void Dispose() => _http.Dispose();
}

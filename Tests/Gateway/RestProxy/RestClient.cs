using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tributary.Tests.Gateway.RestProxy;

/// <summary>The REST Proxy over plain HttpClient, as Confluent's quickstart drives it with curl.</summary>
internal sealed class RestClient : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="url">The REST Proxy's base address.</param>
    /// <param name="user">A user to authenticate as with HTTP Basic (with <paramref name="password"/>), or none.</param>
    /// <param name="password">The user's password.</param>
    public RestClient(string url, string? user = null, string? password = null)
    {
        _http = new() { BaseAddress = new Uri(url) };
        if (user is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }
    }

    /// <param name="http">A client already set up (its base address, a client certificate ...), which this one disposes.</param>
    public RestClient(HttpClient http) => _http = http;

    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, object? body = null, string? contentType = null, string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? "application/vnd.kafka.v2+json");
        }

        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        using var response = await _http.SendAsync(request);
        var content = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, content.Length == 0 ? null : JsonNode.Parse(content));
    }

    public Task<(int Status, JsonNode? Body)> GetAsync(string path, string? accept = null) => SendAsync(HttpMethod.Get, path, accept: accept);

    public Task<(int Status, JsonNode? Body)> ProduceAsync(string path, string format, object body) =>
        SendAsync(HttpMethod.Post, path, body, $"application/vnd.kafka.{format}.v2+json");

    public static int ErrorCode((int Status, JsonNode? Body) response) => response.Body?["error_code"]?.GetValue<int>() ?? 0;

    public void Dispose() => _http.Dispose();
}

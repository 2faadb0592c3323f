using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Tributary.Tests.Gateway.Connect;

/// <summary>Connect's REST API over HttpClient, as curl and kcctl call it: status code and JSON body of each answer.</summary>
internal sealed class ConnectClient(string url, string? user = null, string? password = null) : IDisposable
{
    private readonly HttpClient _http = new()
    {
        BaseAddress = new Uri(url),
        DefaultRequestHeaders =
        {
            Authorization = user is null ? null : new System.Net.Http.Headers.AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{user}:{password}"))),
        },
    };

    public Task<(int Status, JsonNode? Body)> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<(int Status, JsonNode? Body)> PostAsync(string path, object? body = null) => SendAsync(HttpMethod.Post, path, body);

    public Task<(int Status, JsonNode? Body)> PutAsync(string path, object? body = null) => SendAsync(HttpMethod.Put, path, body);

    public Task<(int Status, JsonNode? Body)> PatchAsync(string path, object? body) => SendAsync(HttpMethod.Patch, path, body);

    public Task<(int Status, JsonNode? Body)> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    /// <summary>Waits until the connector and all its (at least <paramref name="tasks"/>) tasks report <paramref name="state"/>.</summary>
    public async Task<JsonNode> WaitForStateAsync(string connector, string state, int tasks, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonNode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await GetAsync($"/connectors/{connector}/status");
            last = body;
            if (status == 200 && body!["connector"]!["state"]!.GetValue<string>() == state)
            {
                var taskStates = body["tasks"]!.AsArray();
                if (taskStates.Count >= tasks && taskStates.All(t => t!["state"]!.GetValue<string>() == state))
                {
                    return body;
                }
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Connector {connector} did not reach {state} within {timeout.TotalSeconds} s; last status: {last?.ToJsonString()}");
        return null!;
    }

    public void Dispose() => _http.Dispose();

    private async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = body is string raw
                ? new StringContent(raw, System.Text.Encoding.UTF8, "application/json")
                : JsonContent.Create(body);
        }

        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }
}

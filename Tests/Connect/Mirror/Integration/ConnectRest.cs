using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Tributary.Tests.Connect.Mirror.Integration;

/// <summary>Kafka Connect's REST API as curl would call it, with a wait for a connector's state.</summary>
internal sealed class ConnectRest(string url) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };

    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>Waits until the connector reports <paramref name="state"/> with exactly <paramref name="tasks"/> tasks all in it.</summary>
    public async Task WaitForStateAsync(string connector, string state, int tasks, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonNode? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var (status, body) = await SendAsync(HttpMethod.Get, $"/connectors/{connector}/status");
            last = body;
            if (status == 200 && body!["connector"]!["state"]!.GetValue<string>() == state)
            {
                var taskStates = body["tasks"]!.AsArray();
                if (taskStates.Count == tasks && taskStates.All(t => t!["state"]!.GetValue<string>() == state))
                {
                    return;
                }
            }

            await Task.Delay(200);
        }

        Assert.Fail($"Connector {connector} did not reach {state} with {tasks} tasks within {timeout.TotalSeconds} s; last status: {last?.ToJsonString()}");
    }

    public void Dispose() => _http.Dispose();
}

using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Tributary.Tests.Perf.Connect;

/// <summary>The few Connect REST calls the measurement makes: create a connector, read its status, delete it.</summary>
internal sealed class ConnectorRest(string connectUrl) : IDisposable
{
    private const string StringConverter = "org.apache.kafka.connect.storage.StringConverter";

    private readonly HttpClient _http = new() { BaseAddress = new Uri(connectUrl), Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>
    /// A FileStream connector with StringConverter for keys and values, so a line's bytes are the record value's bytes
    /// both ways (the worker's default JsonConverter would wrap each line in a schema envelope).
    /// </summary>
    public async Task CreateAsync(string name, string connectorClass, string file, string topicKey, string topic)
    {
        using var response = await _http.PostAsJsonAsync("/connectors", new
        {
            name,
            config = new Dictionary<string, string>
            {
                ["connector.class"] = connectorClass,
                ["tasks.max"] = "1",
                ["file"] = file,
                [topicKey] = topic,
                ["key.converter"] = StringConverter,
                ["value.converter"] = StringConverter,
            },
        });
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Creating connector {name} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>The connector's and its tasks' states with any trace, for the message of a run that never finished.</summary>
    public async Task<string> StatusAsync(string name)
    {
        try
        {
            return JsonNode.Parse(await _http.GetStringAsync($"/connectors/{name}/status"))?.ToJsonString() ?? "";
        }
        catch (HttpRequestException e)
        {
            return e.Message;
        }
    }

    public async Task DeleteAsync(string name)
    {
        using var response = await _http.DeleteAsync($"/connectors/{name}");
    }

    public void Dispose() => _http.Dispose();
}

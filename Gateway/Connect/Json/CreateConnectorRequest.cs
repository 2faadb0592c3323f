using System.Text.Json;
using Tributary.Grains.Interfaces.Connect;

namespace Tributary.Gateway.Connect.Json;

/// <summary>
/// The body of <c>POST /connectors</c>: <c>{"name", "config", "initial_state"}</c>, initial_state one of RUNNING, PAUSED
/// or STOPPED in any case (3.7+, KIP-980; absent is RUNNING). The name is trimmed as Kafka trims it. Other properties
/// are ignored.
/// </summary>
internal sealed record CreateConnectorRequest(string Name, Dictionary<string, string> Config, ConnectorTargetState InitialState)
{
    /// <summary>The request of <paramref name="json"/>, or null and the 400 message in <paramref name="error"/>.</summary>
    public static CreateConnectorRequest? Read(JsonElement json, out string? error)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            error = $"The request must be a JSON object, not {ConfigMaps.Describe(json.ValueKind)}";
            return null;
        }

        string? name = null;
        if (json.TryGetProperty("name", out var nameJson) && !ConfigMaps.TryText(nameJson, out name))
        {
            error = $"The connector's name must be a string, not {ConfigMaps.Describe(nameJson.ValueKind)}";
            return null;
        }

        // Kafka fails on a missing config with a NullPointerException (500); it is the client's mistake.
        if (!json.TryGetProperty("config", out var configJson) || configJson.ValueKind == JsonValueKind.Null)
        {
            error = "The connector's config is missing";
            return null;
        }

        if (ConfigMaps.Read(configJson, "connector's config", out error) is not { } config)
        {
            return null;
        }

        var state = ConnectorTargetState.Started;
        if (json.TryGetProperty("initial_state", out var stateJson) && stateJson.ValueKind != JsonValueKind.Null)
        {
            if (ParseState(stateJson) is not { } parsed)
            {
                error = $"Invalid initial_state {stateJson.GetRawText()}: it must be one of RUNNING, PAUSED, STOPPED";
                return null;
            }

            state = parsed;
        }

        return new CreateConnectorRequest(ConnectorNames.Trim(name), config, state);
    }

    private static ConnectorTargetState? ParseState(JsonElement json) =>
        json.ValueKind != JsonValueKind.String ? null : json.GetString()!.ToUpperInvariant() switch
        {
            "RUNNING" => ConnectorTargetState.Started,
            "PAUSED" => ConnectorTargetState.Paused,
            "STOPPED" => ConnectorTargetState.Stopped,
            _ => null,
        };
}

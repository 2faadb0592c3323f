using System.Text.Json;

namespace Tributary.Grains.Connect.Runtime.Config;

/// <summary>
/// A connector config given as a file at start (Kafka's standalone <c>connect-standalone worker.properties
/// connector.properties</c>): Java <c>.properties</c>, or JSON either as REST's create body
/// (<c>{"name": ..., "config": {...}}</c>) or as a flat config map. The connector's name is its <c>name</c> key.
/// </summary>
public static class ConnectorConfigFile
{
    public static (string Name, Dictionary<string, string> Config) Read(string path)
    {
        var text = File.ReadAllText(path);
        var config = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? FromJson(text, path) : JavaProperties.Parse(text);
        if (!config.TryGetValue(ConnectorConfig.Name, out var name) || string.IsNullOrWhiteSpace(name))
        {
            throw new Api.Config.ConfigException($"The connector config file {path} has no '{ConnectorConfig.Name}'.");
        }

        return (name.Trim(), config);
    }

    private static Dictionary<string, string> FromJson(string text, string path)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new Api.Config.ConfigException($"The connector config file {path} is not a JSON object.");
        }

        var wrapped = root.TryGetProperty("config", out var nested) && nested.ValueKind == JsonValueKind.Object;
        var map = wrapped ? nested : root;
        var config = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in map.EnumerateObject())
        {
            config[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                _ => throw new Api.Config.ConfigException($"The connector config file {path} gives '{property.Name}' a value that is not a string, number or boolean."),
            };
        }

        if (wrapped && root.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
        {
            config.TryAdd(ConnectorConfig.Name, name.GetString()!);
        }

        return config;
    }
}

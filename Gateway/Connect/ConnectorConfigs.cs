namespace Tributary.Gateway.Connect;

/// <summary>What the REST API checks in a connector's config before the connector's grain sees it.</summary>
internal static class ConnectorConfigs
{
    public const string NameKey = "name";

    /// <summary>
    /// Kafka's <c>checkAndPutConnectorConfigName</c>: a config that names its connector must name the one of the request;
    /// one that does not gets the name. Null when they match, else the 400 message.
    /// </summary>
    public static string? CheckAndPutName(string connector, Dictionary<string, string> config)
    {
        if (config.TryGetValue(NameKey, out var included))
        {
            return included == connector
                ? null
                : $"Connector name configuration ({included}) doesn't match connector name in the URL ({connector})";
        }

        config[NameKey] = connector;
        return null;
    }
}

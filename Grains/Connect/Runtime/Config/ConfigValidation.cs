using Tributary.Grains.Connect.Api.Config;

namespace Tributary.Grains.Connect.Runtime.Config;

/// <summary>One key's definition (null for a key only the connector reported) and its validated value.</summary>
public sealed record ValidatedConfig(ConfigKey? Definition, ConfigValue Value);

/// <summary>A connector config's validation as Connect reports it (Kafka's <c>ConfigInfos</c>): the connector class, groups and every key.</summary>
public sealed record ConfigValidation(string Name, IReadOnlyList<string> Groups, IReadOnlyList<ValidatedConfig> Configs)
{
    public int ErrorCount => Configs.Count(c => c.Value.ErrorMessages.Count > 0);

    /// <summary>Every error as Kafka's herder lists them when it refuses a config.</summary>
    public string Describe() =>
        $"Connector configuration is invalid and contains the following {ErrorCount} error(s):\n" +
        string.Concat(Configs.SelectMany(c => c.Value.ErrorMessages).Select(m => m + "\n")) +
        "You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`";
}

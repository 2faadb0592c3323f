using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Runtime.Plugins;
using ConnectorBase = Tributary.Grains.Connect.Api.Connector.Connector;

namespace Tributary.Grains.Connect.Runtime.Config;

/// <summary>
/// Keeps a connector's secrets (the keys its <c>ConfigDef</c> types PASSWORD, such as <c>connection.password</c>) out
/// of REST answers: they show as <c>[hidden]</c>, as Kafka shows passwords in validation results. A configuration
/// read back and sent again with <c>[hidden]</c> keeps the stored secret, so that GET-edit-PUT round trips work.
/// </summary>
public static class SecretConfigs
{
    /// <summary>The keys of <paramref name="config"/>'s connector that hold secrets; empty when the class is unknown.</summary>
    public static IReadOnlySet<string> SecretKeys(PluginRegistry plugins, IReadOnlyDictionary<string, string> config)
    {
        if (!config.TryGetValue(ConnectorConfig.ConnectorClass, out var name) ||
            plugins.Find(name, PluginKind.Source, PluginKind.Sink) is not { } plugin)
        {
            return new HashSet<string>();
        }

        try
        {
            return plugins.Create<ConnectorBase>(plugin).Config.ConfigKeys.Values
                .Where(k => k.Type == ConfigType.Password).Select(k => k.Name).ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A plug-in whose constructor fails has no secrets to hide; it fails where it is started.
            return new HashSet<string>();
        }
    }

    /// <summary>A copy with every secret value shown as <c>[hidden]</c>.</summary>
    public static IReadOnlyDictionary<string, string> Mask(IReadOnlyDictionary<string, string> config, IReadOnlySet<string> secrets) =>
        secrets.Count == 0 || !config.Keys.Any(secrets.Contains)
            ? config
            : config.ToDictionary(p => p.Key, p => secrets.Contains(p.Key) ? Password.Hidden : p.Value, StringComparer.Ordinal);

    /// <summary>A copy where each secret sent as <c>[hidden]</c> takes its value from <paramref name="stored"/>.</summary>
    public static Dictionary<string, string> KeepHidden(
        IReadOnlyDictionary<string, string> incoming, IReadOnlyDictionary<string, string>? stored, IReadOnlySet<string> secrets)
    {
        var result = new Dictionary<string, string>(incoming, StringComparer.Ordinal);
        foreach (var key in secrets)
        {
            if (result.TryGetValue(key, out var value) && value == Password.Hidden && stored?.TryGetValue(key, out var secret) == true)
            {
                result[key] = secret;
            }
        }

        return result;
    }
}

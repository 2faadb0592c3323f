using Orleans.Concurrency;
using System.Globalization;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Runtime.Config;
using Tributary.Grains.Connect.Runtime.Plugins;
using Tributary.Grains.Interfaces.Connect;
using ConnectorBase = Tributary.Grains.Connect.Api.Connector.Connector;

namespace Tributary.Grains.Actors.Connect;

/// <summary>The plug-ins of this silo's worker: listed, described and used to validate configs, on whichever silo serves the call.</summary>
[StatelessWorker]
public sealed class ConnectPluginsGrain(ConnectWorker worker) : Grain, IConnectPluginsGrain
{
    public Task<IReadOnlyList<ConnectPluginInfo>> ListAsync(bool connectorsOnly) =>
        Task.FromResult<IReadOnlyList<ConnectPluginInfo>>([.. worker.Plugins.Plugins
            .Where(p => !connectorsOnly || p.Kind is PluginKind.Source or PluginKind.Sink)
            .Select(p => new ConnectPluginInfo(p.ClassName, p.Kind.RestName(), p.Version))]);

    public Task<ConnectResult<IReadOnlyList<ConfigKeyInfo>>> GetConfigAsync(string plugin)
    {
        var found = worker.Plugins.Find(plugin);
        if (found is null)
        {
            return Task.FromResult(ConnectResult<IReadOnlyList<ConfigKeyInfo>>.Error(404, "Unknown plugin " + plugin + "."));
        }

        var definition = found.Kind switch
        {
            PluginKind.Source or PluginKind.Sink => worker.Plugins.Create<ConnectorBase>(found).Config,
            PluginKind.Converter => worker.Plugins.Create<Tributary.Grains.Connect.Api.Storage.IConverter>(found).Config,
            PluginKind.HeaderConverter => worker.Plugins.Create<Tributary.Grains.Connect.Api.Storage.IHeaderConverter>(found).Config,
            PluginKind.Transformation => worker.Plugins.CreateFor<Tributary.Grains.Connect.Api.Transforms.ITransformation<Tributary.Grains.Connect.Api.Sink.SinkRecord>, Tributary.Grains.Connect.Api.Sink.SinkRecord>(found).Config,
            _ => worker.Plugins.CreateFor<Tributary.Grains.Connect.Api.Transforms.IPredicate<Tributary.Grains.Connect.Api.Sink.SinkRecord>, Tributary.Grains.Connect.Api.Sink.SinkRecord>(found).Config,
        };
        return Task.FromResult(ConnectResult<IReadOnlyList<ConfigKeyInfo>>.Ok([.. definition.ConfigKeys.Values.Where(k => !k.Internal).Select(KeyInfo)]));
    }

    public Task<ConnectResult<ConfigInfos>> ValidateAsync(IReadOnlyDictionary<string, string> config)
    {
        try
        {
            return Task.FromResult(ConnectResult<ConfigInfos>.Ok(Infos(worker.Validator.Validate(config))));
        }
        catch (ConfigException e)
        {
            return Task.FromResult(ConnectResult<ConfigInfos>.Error(400, e.Message));
        }
    }

    internal static ConfigInfos Infos(ConfigValidation validation) =>
        new(validation.Name, validation.ErrorCount, validation.Groups,
            [.. validation.Configs.Select(c => new ConfigInfo(c.Definition is null ? null : KeyInfo(c.Definition), ValueInfo(c.Value)))]);

    internal static ConfigKeyInfo KeyInfo(ConfigKey key) =>
        new(key.Name, key.Type.ToString().ToUpperInvariant(), !key.HasDefault, key.HasDefault ? Text(key.DefaultValue) : null,
            key.Importance.ToString().ToUpperInvariant(), key.Documentation, key.Group, key.OrderInGroup,
            key.Width.ToString().ToUpperInvariant(), key.DisplayName, key.Dependents);

    private static ConfigValueInfo ValueInfo(ConfigValue value) =>
        new(value.Name, Text(value.Value), [.. value.RecommendedValues.Select(v => Text(v) ?? "")], value.ErrorMessages, value.Visible);

    /// <summary>A value as Kafka's REST API writes it: lists joined by commas, passwords hidden, booleans lower-case.</summary>
    private static string? Text(object? value) => value switch
    {
        null => null,
        Password => Password.Hidden,
        bool b => b ? "true" : "false",
        IReadOnlyList<string> list => string.Join(",", list),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}

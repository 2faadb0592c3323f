using Tributary.Grains.Connect.Api.Storage;
using Tributary.Grains.Connect.Runtime.Config;
using Tributary.Grains.Connect.Runtime.Plugins;

namespace Tributary.Grains.Connect.Runtime.Worker;

/// <summary>
/// A task's key, value and header converters (Kafka's <c>Plugins.newConverter</c>): the connector's class with the
/// connector's <c>key.converter.*</c> settings when it names one, else the worker's class with the worker's settings;
/// each configured with <c>converter.type</c> as Kafka does.
/// </summary>
public sealed class TaskConverters : IDisposable
{
    private TaskConverters(IConverter key, string keyClass, IConverter value, string valueClass, IHeaderConverter header, string headerClass)
    {
        Key = key;
        KeyClass = keyClass;
        Value = value;
        ValueClass = valueClass;
        Header = header;
        HeaderClass = headerClass;
    }

    public IConverter Key { get; }

    public string KeyClass { get; }

    public IConverter Value { get; }

    public string ValueClass { get; }

    public IHeaderConverter Header { get; }

    public string HeaderClass { get; }

    public static TaskConverters Create(PluginRegistry plugins, WorkerConfig worker, IReadOnlyDictionary<string, string> connectorConfig)
    {
        var (keyClass, keySettings) = Choose(ConnectorConfig.KeyConverter, worker.KeyConverter, worker, connectorConfig);
        var key = plugins.Create<IConverter>(plugins.Require(keyClass, PluginKind.Converter));
        keySettings[ConverterTypes.ConfigName] = "key";
        key.Configure(keySettings, isKey: true);

        var (valueClass, valueSettings) = Choose(ConnectorConfig.ValueConverter, worker.ValueConverter, worker, connectorConfig);
        var value = plugins.Create<IConverter>(plugins.Require(valueClass, PluginKind.Converter));
        valueSettings[ConverterTypes.ConfigName] = "value";
        value.Configure(valueSettings, isKey: false);

        var (headerClass, headerSettings) = Choose(ConnectorConfig.HeaderConverter, worker.HeaderConverter, worker, connectorConfig);
        var header = plugins.Create<IHeaderConverter>(plugins.Require(headerClass, PluginKind.HeaderConverter));
        headerSettings[ConverterTypes.ConfigName] = "header";
        header.Configure(headerSettings);
        return new TaskConverters(key, keyClass, value, valueClass, header, headerClass);
    }

    public void Dispose()
    {
        Key.Dispose();
        Value.Dispose();
        Header.Dispose();
    }

    private static (string Class, Dictionary<string, string> Settings) Choose(
        string key, string workerDefault, WorkerConfig worker, IReadOnlyDictionary<string, string> connectorConfig)
    {
        var fromConnector = connectorConfig.TryGetValue(key, out var className) && !string.IsNullOrWhiteSpace(className);
        var source = fromConnector ? connectorConfig : worker.Settings;
        var prefix = key + ".";
        var settings = source.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key[prefix.Length..], p => p.Value, StringComparer.Ordinal);
        return (fromConnector ? className!.Trim() : workerDefault, settings);
    }
}

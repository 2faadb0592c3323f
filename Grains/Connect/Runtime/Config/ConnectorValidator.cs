using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Api.Transforms;
using Tributary.Grains.Connect.Runtime.Plugins;

namespace Tributary.Grains.Connect.Runtime.Config;

/// <summary>
/// Validates a whole connector config before it is saved (Kafka's <c>AbstractHerder.validateConnectorConfig</c>): the
/// runtime's keys for the connector's kind, each named transform's and predicate's keys (enriched under their
/// prefixes), the converters' classes, the sink's topic rules, and the connector's own <c>validate</c>.
/// </summary>
public sealed class ConnectorValidator(PluginRegistry plugins, bool exactlyOnceSourceEnabled = false, string clientOverridePolicy = "All")
{
    /// <summary>The validation; a config without a known connector class throws <see cref="ConfigException"/> (answered 400).</summary>
    public ConfigValidation Validate(IReadOnlyDictionary<string, string> config)
    {
        if (!config.TryGetValue(ConnectorConfig.ConnectorClass, out var className) || string.IsNullOrWhiteSpace(className))
        {
            throw new ConfigException("Connector config {" + string.Join(", ", config.Select(p => $"{p.Key}={p.Value}")) + "} contains no connector type");
        }

        var plugin = plugins.Require(className, PluginKind.Source, PluginKind.Sink);
        var isSink = plugin.Kind == PluginKind.Sink;
        var definition = Enrich(isSink ? ConnectorConfig.Sink() : ConnectorConfig.Source(), config, isSink);
        var values = definition.Validate(config).ToDictionary(v => v.Name, StringComparer.Ordinal);
        CheckConverters(config, values);
        if (isSink)
        {
            CheckSinkTopics(config, values);
        }

        var connector = plugins.Create<Connector>(plugin);
        IReadOnlyList<ConfigValue> connectorValues;
        try
        {
            connectorValues = connector.Validate(config);
        }
        catch (Exception e) when (e is Api.ConnectException or ArgumentException or InvalidOperationException)
        {
            values[ConnectorConfig.ConnectorClass].AddErrorMessage(e.Message);
            connectorValues = [];
        }

        foreach (var (key, message) in ClientOverrides.Validate(config, clientOverridePolicy))
        {
            AddError(values, config, key, message);
        }

        if (connector is SourceConnector source)
        {
            CheckExactlyOnce(source, config, values);
            foreach (var (key, message) in TopicCreation.Validate(config))
            {
                AddError(values, config, key, message);
            }
        }

        var configs = definition.ConfigKeys.Values.Select(k => new ValidatedConfig(k, values[k.Name])).ToList();
        configs.AddRange(values.Values.Where(v => !definition.ConfigKeys.ContainsKey(v.Name)).Select(v => new ValidatedConfig(null, v)));
        var connectorDef = connector.Config;
        foreach (var value in connectorValues.Where(v => !definition.ConfigKeys.ContainsKey(v.Name)))
        {
            configs.Add(new ValidatedConfig(connectorDef.ConfigKeys.GetValueOrDefault(value.Name), value));
        }

        return new ConfigValidation(plugin.ClassName, [.. definition.Groups.Concat(connectorDef.Groups).Distinct()], configs);
    }

    /// <summary>The runtime's definition with every transform's and predicate's keys under its prefix (Kafka's <c>enrich</c>).</summary>
    public ConfigDef Enrich(ConfigDef definition, IReadOnlyDictionary<string, string> config, bool isSink)
    {
        foreach (var alias in ConnectorConfig.Aliases(config, ConnectorConfig.Transforms))
        {
            var prefix = $"{ConnectorConfig.Transforms}.{alias}.";
            var group = $"Transforms: {alias}";
            definition
                .Define(prefix + "type", ConfigType.Class, Importance.High, "Class for the '" + alias + "' transformation.",
                    required: true, validator: PluginClass(PluginKind.Transformation, config, prefix), group: group, orderInGroup: 0, width: Width.Long, displayName: "Transformation type for " + alias)
                .Define(prefix + "negate", ConfigType.Boolean, Importance.Medium, "Whether the configured predicate should be negated.",
                    defaultValue: false, group: group, orderInGroup: 1, width: Width.Short, displayName: "Negate?")
                .Define(prefix + "predicate", ConfigType.String, Importance.Medium,
                    "The alias of a predicate used to determine whether to apply this transformation.",
                    validator: KnownPredicate(config), group: group, orderInGroup: 2, width: Width.Long, displayName: "Predicate");
            AddPluginKeys(definition, config, prefix, group, PluginKind.Transformation, isSink);
        }

        foreach (var alias in ConnectorConfig.Aliases(config, ConnectorConfig.Predicates))
        {
            var prefix = $"{ConnectorConfig.Predicates}.{alias}.";
            var group = $"Predicates: {alias}";
            definition.Define(prefix + "type", ConfigType.Class, Importance.High, "Class for the '" + alias + "' predicate.",
                required: true, validator: PluginClass(PluginKind.Predicate, config, prefix), group: group, orderInGroup: 0, width: Width.Long, displayName: "Predicate type for " + alias);
            AddPluginKeys(definition, config, prefix, group, PluginKind.Predicate, isSink);
        }

        return definition;
    }

    private void AddPluginKeys(ConfigDef definition, IReadOnlyDictionary<string, string> config, string prefix, string group, PluginKind kind, bool isSink)
    {
        if (!config.TryGetValue(prefix + "type", out var typeName) || plugins.Find(typeName, kind) is not { } plugin)
        {
            return;
        }

        ConfigDef own;
        try
        {
            own = kind == PluginKind.Transformation
                ? ConfigOf<ITransformation<SinkRecord>, ITransformation<SourceRecord>>(plugin, isSink, t => t.Config, t => t.Config)
                : ConfigOf<IPredicate<SinkRecord>, IPredicate<SourceRecord>>(plugin, isSink, p => p.Config, p => p.Config);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return;
        }

        var order = 2;
        foreach (var key in own.ConfigKeys.Values)
        {
            if (!definition.ConfigKeys.ContainsKey(prefix + key.Name))
            {
                definition.Define(prefix + key.Name, key.Type, key.Importance, key.Documentation,
                    defaultValue: key.DefaultValue, required: !key.HasDefault, validator: key.Validator, group: group,
                    orderInGroup: ++order, width: key.Width, displayName: key.DisplayName, recommender: key.Recommender);
            }
        }
    }

    private ConfigDef ConfigOf<TSink, TSource>(PluginDescriptor plugin, bool isSink, Func<TSink, ConfigDef> sink, Func<TSource, ConfigDef> source)
        where TSink : IDisposable
        where TSource : IDisposable
    {
        if (isSink)
        {
            using var instance = plugins.CreateFor<TSink, SinkRecord>(plugin);
            return sink(instance);
        }
        else
        {
            using var instance = plugins.CreateFor<TSource, SourceRecord>(plugin);
            return source(instance);
        }
    }

    /// <summary>
    /// Kafka's type validator of an enriched alias: a class no plug-in answers to is "could not be found" (Kafka's
    /// <c>parseType</c>), a plug-in of another kind is "Not a Transformation"; a transform's <c>negate</c> without a
    /// <c>predicate</c> is refused first, as Kafka's <c>validateProps</c> does.
    /// </summary>
    private IConfigValidator PluginClass(PluginKind kind, IReadOnlyDictionary<string, string> config, string prefix) => Validators.From((name, value) =>
    {
        if (kind == PluginKind.Transformation && config.ContainsKey(prefix + "negate") && !config.ContainsKey(prefix + "predicate"))
        {
            throw new ConfigException($"Config '{prefix}negate' was provided but there is no config '{prefix}predicate' defining a predicate to be negated.");
        }

        if (value is string className && plugins.Find(className, kind) is null)
        {
            throw plugins.Find(className) is null
                ? new ConfigException(name, value, $"Class {className} could not be found.")
                : new ConfigException(name, null, "Not a " + (kind == PluginKind.Transformation ? "Transformation" : "Predicate"));
        }
    });

    private static IConfigValidator KnownPredicate(IReadOnlyDictionary<string, string> config) => Validators.From((name, value) =>
    {
        if (value is string alias && !ConnectorConfig.Aliases(config, ConnectorConfig.Predicates).Contains(alias))
        {
            throw new ConfigException(name, value, "Predicate '" + alias + "' not found in the predicates configuration.");
        }
    });

    private void CheckConverters(IReadOnlyDictionary<string, string> config, Dictionary<string, ConfigValue> values)
    {
        foreach (var (key, kind) in new[]
                 {
                     (ConnectorConfig.KeyConverter, PluginKind.Converter),
                     (ConnectorConfig.ValueConverter, PluginKind.Converter),
                     (ConnectorConfig.HeaderConverter, PluginKind.HeaderConverter),
                 })
        {
            if (config.TryGetValue(key, out var className) && plugins.Find(className, kind) is null)
            {
                values[key].AddErrorMessage($"Invalid value {className} for configuration {key}: Class {className} could not be found.");
            }
        }
    }

    private static void CheckSinkTopics(IReadOnlyDictionary<string, string> config, Dictionary<string, ConfigValue> values)
    {
        var topics = config.GetValueOrDefault(ConnectorConfig.Topics)?.Split(',').Select(t => t.Trim()).Where(t => t.Length > 0).ToList() ?? [];
        var regex = config.GetValueOrDefault(ConnectorConfig.TopicsRegex)?.Trim() ?? "";
        if (topics.Count > 0 && regex.Length > 0)
        {
            const string both = "topics and topics.regex are mutually exclusive options, but both are set.";
            values[ConnectorConfig.Topics].AddErrorMessage(both);
            values[ConnectorConfig.TopicsRegex].AddErrorMessage(both);
        }
        else if (topics.Count == 0 && regex.Length == 0)
        {
            const string neither = "Must configure one of topics or topics.regex";
            values[ConnectorConfig.Topics].AddErrorMessage(neither);
            values[ConnectorConfig.TopicsRegex].AddErrorMessage(neither);
        }

        // As Kafka's SinkConnectorConfig.validate: the error is the topics' (or the regex's), the list shown as Java shows one.
        var dlq = config.GetValueOrDefault(ConnectorConfig.DlqTopicName)?.Trim() ?? "";
        if (dlq.Length > 0 && topics.Contains(dlq))
        {
            values[ConnectorConfig.Topics].AddErrorMessage(
                $"The DLQ topic '{dlq}' may not be included in the list of topics ('{ConnectorConfig.Topics}=[{string.Join(", ", topics.Distinct())}]') consumed by the connector");
        }

        if (dlq.Length > 0 && regex.Length > 0 && MatchesWhole(regex, dlq))
        {
            values[ConnectorConfig.TopicsRegex].AddErrorMessage(
                $"The DLQ topic '{dlq}' may not be matched by the regex for the topics ('{ConnectorConfig.TopicsRegex}={regex}') consumed by the connector");
        }
    }

    private static bool MatchesWhole(string regex, string text)
    {
        try
        {
            return System.Text.RegularExpressions.Regex.IsMatch(text, "^(?:" + regex + ")$");
        }
        catch (ArgumentException)
        {
            return false; // topics.regex has its own error already
        }
    }

    /// <summary>Kafka's preflight checks of <c>exactly.once.support=required</c> and <c>transaction.boundary=connector</c> (KIP-618).</summary>
    private void CheckExactlyOnce(SourceConnector connector, IReadOnlyDictionary<string, string> config, Dictionary<string, ConfigValue> values)
    {
        if (string.Equals(config.GetValueOrDefault(ConnectorConfig.ExactlyOnceSupport)?.Trim(), "required", StringComparison.OrdinalIgnoreCase))
        {
            var value = values[ConnectorConfig.ExactlyOnceSupport];
            if (!exactlyOnceSourceEnabled)
            {
                value.AddErrorMessage("This worker does not have exactly-once source support enabled.");
            }

            switch (connector.ExactlyOnceSupport(config))
            {
                case null:
                    value.AddErrorMessage("The connector does not implement the API required for preflight validation of exactly-once source support. Please consult the documentation for the connector to determine whether it supports exactly-once guarantees, and then consider reconfiguring the connector to use the value \"requested\" for this property (which will disable this preflight check and allow the connector to be created).");
                    break;
                case Api.Source.ExactlyOnceSupport.Unsupported:
                    value.AddErrorMessage("The connector does not support exactly-once semantics with the provided configuration.");
                    break;
            }
        }

        // Without exactly-once sources, source offsets live in the control plane, not in a topic: a topic named here
        // would be accepted and never used.
        if (!exactlyOnceSourceEnabled && config.GetValueOrDefault(ConnectorConfig.OffsetsStorageTopic) is { } topic && topic.Trim().Length > 0)
        {
            values[ConnectorConfig.OffsetsStorageTopic].AddErrorMessage(
                "offsets.storage.topic is used by exactly-once source tasks (Tributary:Connect:ExactlyOnceSourceSupport=enabled); otherwise a connector's offsets are kept in the cluster's control plane.");
        }

        if (string.Equals(config.GetValueOrDefault(ConnectorConfig.TransactionBoundary)?.Trim(), "connector", StringComparison.OrdinalIgnoreCase) &&
            connector.CanDefineTransactionBoundaries(config) != ConnectorTransactionBoundaries.Supported)
        {
            values[ConnectorConfig.TransactionBoundary].AddErrorMessage(
                "The connector does not support connector-defined transaction boundaries with the given configuration. Please reconfigure it to use a different transaction boundary definition.");
        }
    }

    /// <summary>An error on a key the runtime's definition may not have (a topic creation or client override key).</summary>
    private static void AddError(Dictionary<string, ConfigValue> values, IReadOnlyDictionary<string, string> config, string key, string message)
    {
        if (!values.TryGetValue(key, out var value))
        {
            values[key] = value = new ConfigValue(key) { Value = config.GetValueOrDefault(key) };
        }

        value.AddErrorMessage(message);
    }
}

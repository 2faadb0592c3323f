using Tributary.Grains.Connect.Api.Config;

namespace Tributary.Grains.Connect.Runtime.Config;

/// <summary>
/// The configuration every connector takes besides its own (Kafka's <c>ConnectorConfig</c>), with Kafka's names,
/// defaults, groups and documentation, and the definitions for sinks (<c>SinkConnectorConfig</c>) and sources
/// (<c>SourceConnectorConfig</c>). <see cref="Enriched"/> adds the keys of each transform and predicate the config
/// names, as Kafka's <c>enrich</c> does, so that they are validated too.
/// </summary>
public static class ConnectorConfig
{
    public const string Name = "name";
    public const string ConnectorClass = "connector.class";
    public const string TasksMax = "tasks.max";
    public const string TasksMaxEnforce = "tasks.max.enforce";
    public const string KeyConverter = "key.converter";
    public const string ValueConverter = "value.converter";
    public const string HeaderConverter = "header.converter";
    public const string ConfigReloadAction = "config.action.reload";
    public const string Transforms = "transforms";
    public const string Predicates = "predicates";
    public const string ErrorsRetryTimeout = "errors.retry.timeout";
    public const string ErrorsRetryMaxDelay = "errors.retry.delay.max.ms";
    public const string ErrorsTolerance = "errors.tolerance";
    public const string ErrorsLogEnable = "errors.log.enable";
    public const string ErrorsLogIncludeMessages = "errors.log.include.messages";
    public const string Topics = "topics";
    public const string TopicsRegex = "topics.regex";
    public const string DlqTopicName = "errors.deadletterqueue.topic.name";
    public const string DlqTopicReplicationFactor = "errors.deadletterqueue.topic.replication.factor";
    public const string DlqContextHeadersEnable = "errors.deadletterqueue.context.headers.enable";
    public const string ExactlyOnceSupport = "exactly.once.support";
    public const string TransactionBoundary = "transaction.boundary";
    public const string TransactionBoundaryInterval = "transaction.boundary.interval.ms";
    public const string OffsetsStorageTopic = "offsets.storage.topic";
    public const string TopicCreationGroups = "topic.creation.groups";

    public const string CommonGroup = "Common";
    public const string TransformsGroup = "Transforms";
    public const string PredicatesGroup = "Predicates";
    public const string ErrorGroup = "Error Handling";
    public const string SinkGroup = "Sink";
    public const string ExactlyOnceGroup = "Exactly Once Support";

    public const string DefaultHeaderConverter = "org.apache.kafka.connect.storage.SimpleHeaderConverter";

    /// <summary>Keys every connector has.</summary>
    public static ConfigDef Common()
    {
        var order = 0;
        var def = new ConfigDef()
            .Define(Name, ConfigType.String, Importance.High, "Globally unique name to use for this connector.",
                required: true, validator: NonEmptyStringWithoutControlChars, group: CommonGroup, orderInGroup: ++order, width: Width.Medium, displayName: "Connector name")
            .Define(ConnectorClass, ConfigType.String, Importance.High,
                "Name or alias of the class for this connector. Must be a subclass of org.apache.kafka.connect.connector.Connector. If the connector is org.apache.kafka.connect.file.FileStreamSinkConnector, you can either specify this full name,  or use \"FileStreamSink\" or \"FileStreamSinkConnector\" to make the configuration a bit shorter",
                required: true, group: CommonGroup, orderInGroup: ++order, width: Width.Long, displayName: "Connector class")
            .Define(TasksMax, ConfigType.Int, Importance.High, "Maximum number of tasks to use for this connector.",
                defaultValue: 1, validator: Validators.AtLeast(1), group: CommonGroup, orderInGroup: ++order, width: Width.Short, displayName: "Tasks max")
            .Define(TasksMaxEnforce, ConfigType.Boolean, Importance.Low,
                "(Deprecated) Whether to enforce that the tasks.max property is respected by the connector.",
                defaultValue: true, group: CommonGroup, orderInGroup: ++order, width: Width.Short, displayName: "Enforce tasks max")
            .Define(KeyConverter, ConfigType.Class, Importance.Low,
                "Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. This controls the format of the keys in messages written to or read from Kafka, and since this is independent of connectors it allows any connector to work with any serialization format. Examples of common formats include JSON and Avro.",
                group: CommonGroup, orderInGroup: ++order, width: Width.Short, displayName: "Key converter class")
            .Define(ValueConverter, ConfigType.Class, Importance.Low,
                "Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. This controls the format of the values in messages written to or read from Kafka, and since this is independent of connectors it allows any connector to work with any serialization format. Examples of common formats include JSON and Avro.",
                group: CommonGroup, orderInGroup: ++order, width: Width.Short, displayName: "Value converter class")
            .Define(HeaderConverter, ConfigType.Class, Importance.Low,
                "HeaderConverter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. This controls the format of the header values in messages written to or read from Kafka, and since this is independent of connectors it allows any connector to work with any serialization format. Examples of common formats include JSON and Avro. By default, the SimpleHeaderConverter is used to serialize header values to strings and deserialize them by inferring the schemas.",
                defaultValue: DefaultHeaderConverter, group: CommonGroup, orderInGroup: ++order, width: Width.Short, displayName: "Header converter class")
            .Define(ConfigReloadAction, ConfigType.String, Importance.Low,
                "The action that Connect should take on the connector when changes in external configuration providers result in a change in the connector's configuration properties. A value of 'none' indicates that Connect will do nothing. A value of 'restart' indicates that Connect should restart/reload the connector with the updated configuration properties.The restart may actually be scheduled in the future if the external configuration provider indicates that a configuration value will expire in the future.",
                defaultValue: "restart", validator: Validators.In("none", "restart"), group: CommonGroup, orderInGroup: ++order, width: Width.Medium, displayName: "Reload Action")
            .Define(Transforms, ConfigType.List, Importance.Low, "Aliases for the transformations to be applied to records.",
                defaultValue: "", validator: UniqueAliases("transformation"), group: TransformsGroup, orderInGroup: ++order, width: Width.Long, displayName: "Transforms")
            .Define(Predicates, ConfigType.List, Importance.Low, "Aliases for the predicates used by transformations.",
                defaultValue: "", validator: UniqueAliases("predicate"), group: PredicatesGroup, orderInGroup: ++order, width: Width.Long, displayName: "Predicates");
        order = 0;
        return def
            .Define(ErrorsRetryTimeout, ConfigType.Long, Importance.Medium,
                "The maximum duration in milliseconds that a failed operation will be reattempted. The default is 0, which means no retries will be attempted. Use -1 for infinite retries.",
                defaultValue: 0L, group: ErrorGroup, orderInGroup: ++order, width: Width.Medium, displayName: "Retry Timeout for Errors")
            .Define(ErrorsRetryMaxDelay, ConfigType.Long, Importance.Medium,
                "The maximum duration in milliseconds between consecutive retry attempts. Jitter will be added to the delay once this limit is reached to prevent thundering herd issues.",
                defaultValue: 60000L, group: ErrorGroup, orderInGroup: ++order, width: Width.Medium, displayName: "Maximum Delay Between Retries for Errors")
            .Define(ErrorsTolerance, ConfigType.String, Importance.Medium,
                "Behavior for tolerating errors during connector operation. 'none' is the default value and signals that any error will result in an immediate connector task failure; 'all' changes the behavior to skip over problematic records.",
                defaultValue: "none", validator: Validators.In("none", "all"), group: ErrorGroup, orderInGroup: ++order, width: Width.Short, displayName: "Error Tolerance")
            .Define(ErrorsLogEnable, ConfigType.Boolean, Importance.Medium,
                "If true, write each error and the details of the failed operation and problematic record to the Connect application log. This is 'false' by default, so that only errors that are not tolerated are reported.",
                defaultValue: false, group: ErrorGroup, orderInGroup: ++order, width: Width.Short, displayName: "Log Errors")
            .Define(ErrorsLogIncludeMessages, ConfigType.Boolean, Importance.Medium,
                "Whether to include in the log the Connect record that resulted in a failure. For sink records, the topic, partition, offset, and timestamp will be logged. For source records, the key and value (and their schemas), all headers, and the timestamp, Kafka topic, Kafka partition, source partition, and source offset will be logged. This is 'false' by default, which will prevent record keys, values, and headers from being written to log files.",
                defaultValue: false, group: ErrorGroup, orderInGroup: ++order, width: Width.Short, displayName: "Log Error Details");
    }

    /// <summary>Keys of sink connectors: the topics to read and the dead-letter queue.</summary>
    public static ConfigDef Sink()
    {
        var def = Common();
        return def
            .Define(Topics, ConfigType.List, Importance.High, "List of topics to consume, separated by commas",
                defaultValue: "", group: CommonGroup, orderInGroup: 4, width: Width.Long, displayName: "Topics")
            .Define(TopicsRegex, ConfigType.String, Importance.High,
                "Regular expression giving topics to consume. Under the hood, the regex is compiled to a <code>java.util.regex.Pattern</code>. Only one of topics or topics.regex should be specified.",
                defaultValue: "", validator: ValidRegex, group: CommonGroup, orderInGroup: 4, width: Width.Long, displayName: "Topics regex")
            .Define(DlqTopicName, ConfigType.String, Importance.Medium,
                "The name of the topic to be used as the dead letter queue (DLQ) for messages that result in an error when processed by this sink connector, or its transformations or converters. The topic name is blank by default, which means that no messages are to be recorded in the DLQ.",
                defaultValue: "", group: ErrorGroup, orderInGroup: 6, width: Width.Medium, displayName: "Dead Letter Queue Topic Name")
            .Define(DlqTopicReplicationFactor, ConfigType.Short, Importance.Medium,
                "Replication factor used to create the dead letter queue topic when it doesn't already exist.",
                defaultValue: (short)3, group: ErrorGroup, orderInGroup: 7, width: Width.Medium, displayName: "Dead Letter Queue Topic Replication Factor")
            .Define(DlqContextHeadersEnable, ConfigType.Boolean, Importance.Medium,
                "If true, add headers containing error context to the messages written to the dead letter queue. To avoid clashing with headers from the original record, all error context header keys, all error context header keys will start with <code>__connect.errors.</code>",
                defaultValue: false, group: ErrorGroup, orderInGroup: 8, width: Width.Medium, displayName: "Enable Error Context Headers");
    }

    /// <summary>Keys of source connectors: exactly-once delivery and transaction boundaries (KIP-618).</summary>
    public static ConfigDef Source() =>
        Common()
            .Define(ExactlyOnceSupport, ConfigType.String, Importance.Medium,
                "Permitted values are requested, required. If set to \"required\", forces a preflight check for the connector to ensure that it can provide exactly-once semantics with the given configuration. Some connectors may be capable of providing exactly-once semantics but not signal to Connect that they support this; in that case, documentation for the connector should be consulted carefully before creating it, and the value for this property should be set to \"requested\". Additionally, if the value is set to \"required\" but the worker that performs preflight validation does not have exactly-once support enabled for source connectors, requests to create or validate the connector will fail.",
                defaultValue: "requested", validator: Validators.InIgnoringCase("requested", "required"), group: ExactlyOnceGroup, orderInGroup: 1, width: Width.Short, displayName: "Exactly once support")
            .Define(TransactionBoundary, ConfigType.String, Importance.Medium,
                "Permitted values are: poll, interval, connector. If set to 'poll', a new producer transaction will be started and committed for every batch of records that each task from this connector provides to Connect. If set to 'connector', relies on connector-defined transaction boundaries; note that not all connectors are capable of defining their own transaction boundaries, and in that case, attempts to instantiate a connector with this value will fail. Finally, if set to 'interval', commits transactions only after a user-defined time interval has passed.",
                defaultValue: "poll", validator: Validators.InIgnoringCase("poll", "interval", "connector"), group: ExactlyOnceGroup, orderInGroup: 2, width: Width.Short, displayName: "Transaction Boundary")
            .Define(TransactionBoundaryInterval, ConfigType.Long, Importance.Low,
                "If 'transaction.boundary' is set to 'interval', determines the interval for producer transaction commits by connector tasks. If unset, defaults to the value of the worker-level 'offset.flush.interval.ms' property. It has no effect if a different transaction.boundary is specified.",
                validator: Validators.From((name, value) =>
                {
                    if (value is long l && l < 0)
                    {
                        throw new ConfigException(name, value, "Value must be at least 0");
                    }
                }), group: ExactlyOnceGroup, orderInGroup: 3, width: Width.Short, displayName: "Transaction boundary interval")
            .Define(OffsetsStorageTopic, ConfigType.String, Importance.Low,
                "The name of a separate offsets topic to use for this connector. If empty or not specified, the worker’s global offsets topic name will be used. If specified, the offsets topic will be created if it does not already exist on the Kafka cluster targeted by this connector (which may be different from the one used for the worker's global offsets topic if the bootstrap.servers property of the connector's producer has been overridden from the worker's). Only applicable in distributed mode; in standalone mode, setting this property will have no effect.",
                group: ExactlyOnceGroup, orderInGroup: 4, width: Width.Long, displayName: "Offsets topic")
            .Define(TopicCreationGroups, ConfigType.List, Importance.Low,
                "Groups of configurations for topics created by source connectors",
                defaultValue: "", group: "Topic Creation", orderInGroup: 1, width: Width.Long, displayName: "Topic Creation Groups");

    /// <summary>The aliases a list key names (<c>transforms=a,b</c>), empty when unset.</summary>
    public static IReadOnlyList<string> Aliases(IReadOnlyDictionary<string, string> config, string key) =>
        config.TryGetValue(key, out var text) && !string.IsNullOrWhiteSpace(text)
            ? [.. text.Split(',').Select(a => a.Trim()).Where(a => a.Length > 0).Distinct(StringComparer.Ordinal)]
            : [];

    /// <summary>Kafka's <c>NonEmptyStringWithoutControlChars</c>: connector names appear in URLs and logs.</summary>
    public static readonly IConfigValidator NonEmptyStringWithoutControlChars = Validators.From(
        (name, value) =>
        {
            if (value is not string s || s.Trim().Length == 0)
            {
                throw new ConfigException(name, value, "String may not be empty");
            }

            if (s.Any(char.IsControl))
            {
                throw new ConfigException(name, value, "String may not contain control sequences but had the following ASCII chars: " +
                    string.Join(", ", s.Where(char.IsControl).Select(c => ((int)c).ToString(System.Globalization.CultureInfo.InvariantCulture))));
            }
        },
        "non-empty string without ISO control characters");

    private static readonly IConfigValidator ValidRegex = Validators.From((name, value) =>
    {
        if (value is string { Length: > 0 } pattern)
        {
            try
            {
                _ = new System.Text.RegularExpressions.Regex(pattern);
            }
            catch (ArgumentException e)
            {
                throw new ConfigException(name, value, "Must be a valid regular expression: " + e.Message);
            }
        }
    });

    private static IConfigValidator UniqueAliases(string what) => Validators.From((name, value) =>
    {
        if (value is IReadOnlyList<string> aliases)
        {
            var duplicate = aliases.GroupBy(a => a, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new ConfigException(name, value, $"Duplicate alias provided.");
            }

            if (aliases.Any(a => a.Length == 0))
            {
                throw new ConfigException(name, value, $"Empty {what} alias provided.");
            }
        }
    });
}

using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Sink;

namespace Tributary.Grains.Connect.File;

/// <summary>
/// Kafka's <c>FileStreamSinkConnector</c>: appends the value of every record from its <c>topics</c> (or
/// <c>topics.regex</c>, both handled by the runtime) as a line to a file, or to standard output when <c>file</c> is unset.
/// </summary>
[ConnectPlugin("org.apache.kafka.connect.file.FileStreamSinkConnector")]
public sealed class FileStreamSinkConnector : SinkConnector
{
    public const string FileConfig = "file";

    internal static readonly ConfigDef Definition = new ConfigDef()
        .Define(FileConfig, ConfigType.String, Importance.High, "Destination filename. If not specified, the standard output will be used");

    private IReadOnlyDictionary<string, string> _properties = new Dictionary<string, string>();

    public override string Version => FileStreamConnectors.Version;

    public override Type TaskType => typeof(FileStreamSinkTask);

    public override ConfigDef Config => Definition;

    public override Task StartAsync(IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken)
    {
        Definition.Parse(properties);
        _properties = new Dictionary<string, string>(properties, StringComparer.Ordinal);
        return Task.CompletedTask;
    }

    /// <summary>
    /// As many tasks as allowed, each with the whole connector configuration (KAFKA-13809); they all append to the
    /// same file, as in Kafka.
    /// </summary>
    public override IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs(int maxTasks) =>
        [.. Enumerable.Repeat(_properties, Math.Max(maxTasks, 0))];

    public override Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Any offsets will do: the connector keeps none of its own and checks none.</summary>
    public override bool AlterOffsets(IReadOnlyDictionary<string, string> connectorConfig, IReadOnlyDictionary<TopicPartition, long?> offsets) => true;
}

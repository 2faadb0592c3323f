using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Source;

namespace Tributary.Grains.Connect.File;

/// <summary>
/// Kafka's <c>FileStreamSourceConnector</c>: publishes each line of one file to one topic through a single
/// <see cref="FileStreamSourceTask"/>. Unlike Kafka it refuses to read standard input (see <see cref="FileStreamFiles.StdinRefusal"/>).
/// </summary>
[ConnectPlugin("org.apache.kafka.connect.file.FileStreamSourceConnector")]
public sealed class FileStreamSourceConnector : SourceConnector
{
    public const string TopicConfig = "topic";
    public const string FileConfig = "file";
    public const string TaskBatchSizeConfig = "batch.size";
    public const int DefaultTaskBatchSize = 2000;

    private IReadOnlyDictionary<string, string> _properties = new Dictionary<string, string>();

    public override string Version => FileStreamConnectors.Version;

    public override Type TaskType => typeof(FileStreamSourceTask);

    public override ConfigDef Config => FileStreamSourceConfig.Definition;

    public override Task StartAsync(IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken)
    {
        FileStreamSourceConfig.Parse(properties).RequireFile();
        _properties = new Dictionary<string, string>(properties, StringComparer.Ordinal);
        return Task.CompletedTask;
    }

    /// <summary>
    /// One task whatever <paramref name="maxTasks"/> is, since one file is one stream; it gets the whole connector
    /// configuration so that changes to transforms, converters or clients reach it (KAFKA-13809).
    /// </summary>
    public override IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs(int maxTasks) => [_properties];

    public override Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Kafka's checks, plus an error on <c>file</c> when it is blank, since standard input is refused.</summary>
    public override IReadOnlyList<ConfigValue> Validate(IReadOnlyDictionary<string, string> connectorConfigs)
    {
        var values = base.Validate(connectorConfigs);
        var file = values.First(v => v.Name == FileConfig);
        if (file.ErrorMessages.Count == 0 && FileStreamFiles.Normalize(file.Value as string) is null)
        {
            file.AddErrorMessage(new ConfigException(FileConfig, file.Value, FileStreamFiles.StdinRefusal).Message);
        }

        return values;
    }

    /// <summary>
    /// Supported for a real file as long as it is only appended to, since every line's byte position is tracked;
    /// never for standard input, which has no positions.
    /// </summary>
    public override ExactlyOnceSupport? ExactlyOnceSupport(IReadOnlyDictionary<string, string> connectorConfig) =>
        FileStreamSourceConfig.Parse(connectorConfig).File is null
            ? Api.Source.ExactlyOnceSupport.Unsupported
            : Api.Source.ExactlyOnceSupport.Supported;

    /// <summary>
    /// Checks the shape of offsets sent to the REST API: any partition may be given a null offset (so leftovers of
    /// earlier configurations can be cleaned up), other offsets need a non-negative integer <c>position</c> and a
    /// partition with a <c>filename</c>. Whether the position fits the file is left to the task when it starts.
    /// </summary>
    public override bool AlterOffsets(
        IReadOnlyDictionary<string, string> connectorConfig,
        IReadOnlyList<(IReadOnlyDictionary<string, object?> Partition, IReadOnlyDictionary<string, object?>? Offset)> offsets)
    {
        if (FileStreamSourceConfig.Parse(connectorConfig).File is null)
        {
            throw new ConnectException(
                $"Offsets cannot be modified if the '{FileConfig}' configuration is unspecified. " +
                "This is because stdin is used for input and offsets are not tracked.");
        }

        foreach (var (partition, offset) in offsets)
        {
            if (offset is null)
            {
                continue;
            }

            EnsureValidPosition(offset);
            if (partition is null)
            {
                throw new ConnectException("Partition objects cannot be null");
            }

            if (!partition.ContainsKey(FileStreamSourceTask.FilenameField))
            {
                throw new ConnectException($"Partition objects should contain the key '{FileStreamSourceTask.FilenameField}'");
            }
        }

        return true;
    }

    private static void EnsureValidPosition(IReadOnlyDictionary<string, object?> offset)
    {
        const string position = FileStreamSourceTask.PositionField;
        if (!offset.TryGetValue(position, out var value))
        {
            throw new ConnectException($"Offset objects should either be null or contain the key '{position}'");
        }

        if (!SourcePosition.TryRead(value, out var bytes))
        {
            throw new ConnectException($"The value for the '{position}' key in the offset is expected to be an integer (Long) value");
        }

        if (bytes < 0)
        {
            throw new ConnectException($"The value for the '{position}' key in the offset should be a non-negative value");
        }
    }
}

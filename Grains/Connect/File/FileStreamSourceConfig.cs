using Tributary.Grains.Connect.Api.Config;

namespace Tributary.Grains.Connect.File;

/// <summary>
/// The source connector's configuration (Kafka's <c>FileStreamSourceConnector.CONFIG_DEF</c>), read the way Kafka reads
/// it: strings are trimmed and a blank <c>file</c> means standard input.
/// </summary>
internal sealed class FileStreamSourceConfig
{
    public static readonly ConfigDef Definition = new ConfigDef()
        .Define(
            FileStreamSourceConnector.FileConfig, ConfigType.String, Importance.High,
            "Source filename. If not specified, the standard input will be used")
        .Define(
            FileStreamSourceConnector.TopicConfig, ConfigType.String, Importance.High, "The topic to publish data to",
            required: true, validator: Validators.From(EnsureSingleTopic, "non-empty string without commas"))
        .Define(
            FileStreamSourceConnector.TaskBatchSizeConfig, ConfigType.Int, Importance.Low,
            "The maximum number of records the source task can read from the file each time it is polled",
            defaultValue: FileStreamSourceConnector.DefaultTaskBatchSize);

    private FileStreamSourceConfig(string? file, string topic, int batchSize)
    {
        File = file;
        Topic = topic;
        BatchSize = batchSize;
    }

    /// <summary>The file to read; null when standard input was asked for.</summary>
    public string? File { get; }

    public string Topic { get; }

    public int BatchSize { get; }

    /// <summary>Throws <see cref="ConfigException"/> for the first missing or invalid configuration.</summary>
    public static FileStreamSourceConfig Parse(IReadOnlyDictionary<string, string> properties)
    {
        var parsed = Definition.Parse(properties);
        return new FileStreamSourceConfig(
            FileStreamFiles.Normalize(parsed.GetString(FileStreamSourceConnector.FileConfig)),
            parsed.GetString(FileStreamSourceConnector.TopicConfig)!.Trim(),
            parsed.GetInt(FileStreamSourceConnector.TaskBatchSizeConfig));
    }

    /// <summary>The file to read, or a <see cref="ConfigException"/> when the configuration asks for standard input.</summary>
    public string RequireFile() =>
        File ?? throw new ConfigException(FileStreamSourceConnector.FileConfig, null, FileStreamFiles.StdinRefusal);

    // Kafka trims strings before NonEmptyString checks them, so a blank topic is an error; a comma-separated value
    // could never be a topic name, and saying so here beats a producer error once the task runs.
    private static void EnsureSingleTopic(string name, object? value)
    {
        var topic = (value as string)?.Trim();
        if (string.IsNullOrEmpty(topic))
        {
            throw new ConfigException(name, value, "String must be non-empty");
        }

        if (topic.Contains(',', StringComparison.Ordinal))
        {
            throw new ConfigException(name, value, "FileStreamSourceConnector should only have a single topic when used as a source.");
        }
    }
}

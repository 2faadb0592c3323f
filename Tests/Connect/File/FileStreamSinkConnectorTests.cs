using System.Reflection;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.File;

namespace Tributary.Tests.Connect.File;

public sealed class FileStreamSinkConnectorTests
{
    private const string Filename = "/afilename";

    private readonly FileStreamSinkConnector _connector = new();
    private readonly Dictionary<string, string> _properties = new() { ["topics"] = "test1,test2", ["file"] = Filename };

    [Fact]
    public void Topics_and_a_file_validate_without_errors()
    {
        Assert.All(_connector.Validate(_properties), v => Assert.Empty(v.ErrorMessages));
    }

    [Fact]
    public async Task Every_allowed_task_writes_to_the_configured_file()
    {
        await _connector.StartAsync(_properties, CancellationToken.None);

        Assert.Equal(Filename, Assert.Single(_connector.TaskConfigs(1))["file"]);
        var configs = _connector.TaskConfigs(2);
        Assert.Equal(2, configs.Count);
        Assert.All(configs, c => Assert.Equal(Filename, c["file"]));
    }

    [Fact]
    public async Task Without_a_file_the_tasks_write_to_standard_output()
    {
        _properties.Remove("file");
        await _connector.StartAsync(_properties, CancellationToken.None);

        Assert.False(Assert.Single(_connector.TaskConfigs(1)).ContainsKey("file"));
    }

    [Fact]
    public async Task Tasks_get_the_whole_connector_configuration()
    {
        _properties["transforms"] = "insert";
        await _connector.StartAsync(_properties, CancellationToken.None);

        Assert.Equal(_properties, Assert.Single(_connector.TaskConfigs(1)));
    }

    [Fact]
    public void The_task_is_the_file_stream_sink_task_and_the_plugin_answers_to_kafkas_class_name()
    {
        Assert.Equal(typeof(FileStreamSinkTask), _connector.TaskType);
        Assert.Equal(
            ["org.apache.kafka.connect.file.FileStreamSinkConnector"],
            typeof(FileStreamSinkConnector).GetCustomAttribute<ConnectPluginAttribute>()!.ClassNames);
    }

    [Fact]
    public void Any_offsets_may_be_altered()
    {
        Assert.True(_connector.AlterOffsets(_properties, new Dictionary<TopicPartition, long?>
        {
            [new TopicPartition("test1", 0)] = 5,
            [new TopicPartition("test2", 3)] = null,
        }));
    }
}

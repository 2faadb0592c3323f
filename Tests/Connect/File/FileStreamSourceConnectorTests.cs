using System.Reflection;
using Tributary.Grains.Connect.Api;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.File;

namespace Tributary.Tests.Connect.File;

public sealed class FileStreamSourceConnectorTests
{
    private const string Filename = "/somefilename";

    private readonly FileStreamSourceConnector _connector = new();
    private readonly Dictionary<string, string> _properties = new() { ["topic"] = "test", ["file"] = Filename };

    [Fact]
    public void A_file_and_a_topic_validate_without_errors()
    {
        Assert.All(_connector.Validate(_properties), v => Assert.Empty(v.ErrorMessages));
    }

    [Fact]
    public void Batch_size_defaults_to_2000()
    {
        Assert.Equal(2000, _connector.Config.Parse(_properties).GetInt("batch.size"));
    }

    [Fact]
    public async Task A_missing_topic_is_a_validation_error_and_stops_the_connector_from_starting()
    {
        _properties.Remove("topic");

        Assert.Equal(["Missing required configuration \"topic\" which has no default value."], ErrorsOf("topic"));
        await Assert.ThrowsAsync<ConfigException>(() => _connector.StartAsync(_properties, CancellationToken.None));
    }

    [Fact]
    public void A_blank_topic_is_a_validation_error()
    {
        _properties["topic"] = "   ";

        // Kafka trims a string before validating it, so the message shows the empty value.
        Assert.Equal(["Invalid value  for configuration topic: String must be non-empty"], ErrorsOf("topic"));
    }

    [Fact]
    public async Task More_than_one_topic_is_a_validation_error_and_stops_the_connector_from_starting()
    {
        _properties["topic"] = "test1,test2";

        var error = Assert.Single(ErrorsOf("topic"));
        Assert.Contains("should only have a single topic", error, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ConfigException>(() => _connector.StartAsync(_properties, CancellationToken.None));
    }

    [Fact]
    public void A_batch_size_that_is_not_a_number_is_a_validation_error()
    {
        _properties["batch.size"] = "abcd";

        Assert.Equal(["Invalid value abcd for configuration batch.size: Not a number of type INT"], ErrorsOf("batch.size"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public async Task Reading_standard_input_is_refused_at_validation_and_at_start(string? file)
    {
        SetFile(file);

        Assert.Contains("standard input is not supported", Assert.Single(ErrorsOf("file")), StringComparison.OrdinalIgnoreCase);
        var error = await Assert.ThrowsAsync<ConfigException>(() => _connector.StartAsync(_properties, CancellationToken.None));
        Assert.Equal("file", error.Name);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task There_is_always_exactly_one_task_and_it_gets_the_whole_connector_configuration(int maxTasks)
    {
        _properties["transforms"] = "insert";
        await _connector.StartAsync(_properties, CancellationToken.None);

        var config = Assert.Single(_connector.TaskConfigs(maxTasks));

        Assert.Equal(_properties, config);
    }

    [Fact]
    public void The_task_is_the_file_stream_source_task_and_the_plugin_answers_to_kafkas_class_name()
    {
        Assert.Equal(typeof(FileStreamSourceTask), _connector.TaskType);
        Assert.Equal(
            ["org.apache.kafka.connect.file.FileStreamSourceConnector"],
            typeof(FileStreamSourceConnector).GetCustomAttribute<ConnectPluginAttribute>()!.ClassNames);
        Assert.False(string.IsNullOrEmpty(_connector.Version));
    }

    [Theory]
    [InlineData(Filename, ExactlyOnceSupport.Supported)]
    [InlineData(" ", ExactlyOnceSupport.Unsupported)]
    [InlineData(null, ExactlyOnceSupport.Unsupported)]
    public void Exactly_once_is_supported_only_for_a_real_file(string? file, ExactlyOnceSupport expected)
    {
        SetFile(file);

        Assert.Equal(expected, _connector.ExactlyOnceSupport(_properties));
    }

    [Fact]
    public void The_connector_does_not_define_transaction_boundaries()
    {
        Assert.Equal(ConnectorTransactionBoundaries.Unsupported, _connector.CanDefineTransactionBoundaries(_properties));
    }

    [Fact]
    public void Offsets_cannot_be_altered_when_reading_standard_input()
    {
        _properties.Remove("file");

        var error = Assert.Throws<ConnectException>(() => AlterOffsets((Partition(Filename), Offset(0L))));
        Assert.Contains("'file' configuration is unspecified", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Offsets_of_a_partition_without_a_filename_or_of_a_null_partition_are_refused()
    {
        Assert.Throws<ConnectException>(() => AlterOffsets((new Dictionary<string, object?> { ["other_partition_key"] = Filename }, Offset(0L))));
        Assert.Throws<ConnectException>(() => AlterOffsets((null!, Offset(0L))));
    }

    [Fact]
    public void Offsets_without_a_position_are_refused()
    {
        var offset = new Dictionary<string, object?> { ["other_offset_key"] = 0L };

        var error = Assert.Throws<ConnectException>(() => AlterOffsets((Partition(Filename), offset)));
        Assert.Equal("Offset objects should either be null or contain the key 'position'", error.Message);
    }

    [Theory]
    [InlineData("nan")]
    [InlineData(null)]
    [InlineData(3.14)]
    [InlineData(-420)]
    [InlineData("-420")]
    [InlineData("10")]
    [InlineData(-10L)]
    public void A_position_that_is_not_a_non_negative_integer_is_refused(object? position)
    {
        Assert.Throws<ConnectException>(() => AlterOffsets((Partition(Filename), Offset(position))));
    }

    [Fact]
    public void A_position_of_an_arbitrary_object_is_refused()
    {
        Assert.Throws<ConnectException>(() => AlterOffsets((Partition(Filename), Offset(new object()))));
    }

    [Theory]
    [InlineData(10L)]
    [InlineData(10)]
    [InlineData(0L)]
    public void A_non_negative_integer_position_is_accepted(object position)
    {
        Assert.True(AlterOffsets((Partition(Filename), Offset(position))));
    }

    [Fact]
    public void An_empty_set_of_offsets_is_accepted()
    {
        Assert.True(AlterOffsets());
    }

    [Fact]
    public void Several_partitions_may_be_altered_at_once_including_tombstones()
    {
        Assert.True(AlterOffsets((Partition(Filename), Offset(0L)), (Partition("/someotherfilename"), null)));
    }

    [Fact]
    public void Tombstones_are_accepted_for_any_partition_so_garbage_can_be_cleaned_up()
    {
        Assert.True(AlterOffsets((null!, null)));
        Assert.True(AlterOffsets((new Dictionary<string, object?>(), null)));
        Assert.True(AlterOffsets((Partition("/someotherfilename"), null)));
        Assert.True(AlterOffsets((new Dictionary<string, object?> { ["garbage_partition_key"] = "garbage_partition_value" }, null)));
    }

    private bool AlterOffsets(params (IReadOnlyDictionary<string, object?> Partition, IReadOnlyDictionary<string, object?>? Offset)[] offsets) =>
        _connector.AlterOffsets(_properties, offsets);

    private static Dictionary<string, object?> Partition(string filename) => new() { ["filename"] = filename };

    private static Dictionary<string, object?> Offset(object? position) => new() { ["position"] = position };

    private List<string> ErrorsOf(string name) => _connector.Validate(_properties).Single(v => v.Name == name).ErrorMessages;

    private void SetFile(string? file)
    {
        if (file is null)
        {
            _properties.Remove("file");
        }
        else
        {
            _properties["file"] = file;
        }
    }
}

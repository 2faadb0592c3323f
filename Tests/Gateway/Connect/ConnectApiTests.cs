using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Connect;

/// <summary>
/// What the tests of Connect's REST API share: a client of the fixture's API, a temporary directory for the
/// FileStream connectors' files, names unique to each test, the connectors' configs, and reading and writing topics
/// with Confluent.Kafka.
/// </summary>
public abstract class ConnectApiTests(ConnectBrokerFixture broker) : IDisposable
{
    public const string FileStreamSource = "org.apache.kafka.connect.file.FileStreamSourceConnector";
    public const string FileStreamSink = "org.apache.kafka.connect.file.FileStreamSinkConnector";
    public const string StringConverter = "org.apache.kafka.connect.storage.StringConverter";
    public const string JsonConverter = "org.apache.kafka.connect.json.JsonConverter";

    /// <summary>Long enough for anything the platform does in the background (a task starting, an offset commit).</summary>
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    protected ConnectBrokerFixture Broker { get; } = broker;

    internal ConnectClient Connect { get; } = new(broker.ConnectUrl);

    protected string Folder { get; } = Directory.CreateTempSubdirectory("tributary-connect-api-").FullName;

    /// <summary>A name no other test uses: <paramref name="prefix"/> and a few random characters.</summary>
    protected static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    protected string FileIn(string name) => Path.Combine(Folder, name);

    /// <summary>A FileStreamSource of <paramref name="file"/> into <paramref name="topic"/>, with string values unless <paramref name="extra"/> says otherwise.</summary>
    protected static Dictionary<string, string> SourceConfig(string file, string topic, params (string Key, string Value)[] extra)
    {
        var config = new Dictionary<string, string>
        {
            ["connector.class"] = FileStreamSource,
            ["tasks.max"] = "1",
            ["file"] = file,
            ["topic"] = topic,
            ["value.converter"] = StringConverter,
        };
        foreach (var (key, value) in extra)
        {
            config[key] = value;
        }

        return config;
    }

    /// <summary>A FileStreamSink of <paramref name="topics"/> into <paramref name="file"/>, reading string keys and values unless <paramref name="extra"/> says otherwise.</summary>
    protected static Dictionary<string, string> SinkConfig(string file, string topics, params (string Key, string Value)[] extra)
    {
        var config = new Dictionary<string, string>
        {
            ["connector.class"] = FileStreamSink,
            ["tasks.max"] = "1",
            ["file"] = file,
            ["topics"] = topics,
            ["key.converter"] = StringConverter,
            ["value.converter"] = StringConverter,
        };
        foreach (var (key, value) in extra)
        {
            config[key] = value;
        }

        return config;
    }

    /// <summary>Creates a connector through <c>POST /connectors</c> and checks it was created.</summary>
    protected async Task<JsonNode> CreateAsync(string name, Dictionary<string, string> config, string? initialState = null)
    {
        object body = initialState is null ? new { name, config } : new { name, config, initial_state = initialState };
        var (status, created) = await Connect.PostAsync("/connectors", body);
        Assert.True(status == 201, $"Creating {name} answered {status}: {created?.ToJsonString()}");
        return created!;
    }

    /// <summary>Creates a connector and waits until it and its task run.</summary>
    protected async Task CreateRunningAsync(string name, Dictionary<string, string> config)
    {
        await CreateAsync(name, config);
        await Connect.WaitForStateAsync(name, "RUNNING", 1, Deadline);
    }

    /// <summary>The values of a topic's first partition, from its start, once there are at least <paramref name="count"/>.</summary>
    protected async Task<List<string>> ReadAsync(string topic, int count)
    {
        List<string> values = [];
        await Wait.UntilAsync(() => (values = ReadAll(topic)).Count >= count, Deadline, $"{count} records in {topic}");
        return values;
    }

    /// <summary>Every value of a topic's first partition as UTF-8 text (none for a topic that does not exist).</summary>
    protected List<string> ReadAll(string topic)
    {
        using var consumer = new ConsumerBuilder<Ignore, byte[]>(new ConsumerConfig
        {
            BootstrapServers = Broker.BootstrapServers,
            GroupId = "connect-api-tests-unused",
            EnableAutoCommit = false,
            AllowAutoCreateTopics = false,
        }).Build();
        var partition = new TopicPartition(topic, 0);
        long end;
        try
        {
            end = consumer.QueryWatermarkOffsets(partition, TimeSpan.FromSeconds(5)).High;
        }
        catch (KafkaException)
        {
            return [];
        }

        var values = new List<string>();
        consumer.Assign(new TopicPartitionOffset(partition, Offset.Beginning));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (values.Count < end && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: not null } result)
            {
                values.Add(Encoding.UTF8.GetString(result.Message.Value));
            }
        }

        return values;
    }

    /// <summary>Produces <paramref name="values"/>, without keys, to partition 0 of a topic, creating it with one partition.</summary>
    protected async Task ProduceAsync(string topic, params string[] values)
    {
        await Broker.CreateAsync(topic, 1);
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = Broker.BootstrapServers, LingerMs = 5 }).Build();
        foreach (var value in values)
        {
            await producer.ProduceAsync(new TopicPartition(topic, 0), new Message<Null, string> { Value = value });
        }
    }

    /// <summary>Waits until the file exists and has at least <paramref name="count"/> lines; answers them all.</summary>
    protected static async Task<string[]> LinesAsync(string file, int count)
    {
        string[] lines = [];
        await Wait.UntilAsync(() => File.Exists(file) && (lines = File.ReadAllLines(file)).Length >= count, Deadline, $"{count} lines in {file}");
        return lines;
    }

    /// <summary>
    /// Checks that <paramref name="condition"/> stays true for <paramref name="period"/>: what must not happen is given
    /// a little time to happen.
    /// </summary>
    protected static async Task StaysAsync(Func<bool> condition, TimeSpan period, string what)
    {
        var until = DateTime.UtcNow + period;
        while (DateTime.UtcNow < until)
        {
            Assert.True(condition(), what);
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until <c>GET /connectors/{c}/offsets</c> answers <paramref name="expected"/>.</summary>
    protected async Task WaitForOffsetsAsync(string connector, string expected)
    {
        var want = JsonNode.Parse(expected);
        var deadline = DateTime.UtcNow + Deadline;
        (int Status, JsonNode? Body) last;
        while (!((last = await Connect.GetAsync($"/connectors/{connector}/offsets")).Status == 200 && JsonNode.DeepEquals(last.Body, want)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"The offsets of {connector} are not {expected}; last answer {last.Status}: {last.Body?.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    /// <summary>Asserts an answer is Kafka's error body: <c>{"error_code": status, "message": ...}</c>, and answers the message.</summary>
    protected static string AssertError((int Status, JsonNode? Body) answer, int status)
    {
        Assert.True(answer.Status == status, $"Expected {status}, got {answer.Status}: {answer.Body?.ToJsonString()}");
        Assert.NotNull(answer.Body);
        Assert.Equal(status, answer.Body!["error_code"]!.GetValue<int>());
        return answer.Body["message"]!.GetValue<string>();
    }

    protected static string Text(JsonNode? node) => node!.GetValue<string>();

    protected static string Json(object value) => System.Text.Json.JsonSerializer.Serialize(value);

    public void Dispose()
    {
        Connect.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A task still writing there; the system cleans temporary files.
        }

        GC.SuppressFinalize(this);
    }
}

using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Source;

namespace Tributary.Tests.Connect.SamplePlugin;

/// <summary>A source connector from outside the platform: its task counts from 0, one record per poll, to a topic.</summary>
[ConnectPlugin("com.example.connect.CountingSourceConnector")]
public sealed class CountingSourceConnector : SourceConnector
{
    private IReadOnlyDictionary<string, string> _config = new Dictionary<string, string>();

    public override string Version => "1.2.3";

    public override Type TaskType => typeof(CountingSourceTask);

    public override ConfigDef Config { get; } = new ConfigDef()
        .Define("topic", ConfigType.String, Importance.High, "The topic to count into.", required: true);

    public override Task StartAsync(IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken)
    {
        _config = properties;
        return Task.CompletedTask;
    }

    public override IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs(int maxTasks) => [_config];

    public override Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The counting connector's task.</summary>
public sealed class CountingSourceTask : SourceTask
{
    private string _topic = "";
    private long _next;

    public override string Version => "1.2.3";

    public override async Task StartAsync(IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken)
    {
        _topic = properties["topic"];
        var stored = await Context.OffsetStorageReader.OffsetAsync(new Dictionary<string, object?> { ["counter"] = "main" }, cancellationToken);
        _next = stored?["next"] is long next ? next : 0;
    }

    public override async Task<IReadOnlyList<SourceRecord>?> PollAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(10, cancellationToken);
        var value = _next++;
        return [new SourceRecord(
            new Dictionary<string, object?> { ["counter"] = "main" }, new Dictionary<string, object?> { ["next"] = _next },
            _topic, Schema.Int64, value)];
    }

    public override Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

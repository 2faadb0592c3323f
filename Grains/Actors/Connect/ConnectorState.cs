using Tributary.Grains.Interfaces.Connect;

namespace Tributary.Grains.Actors.Connect;

/// <summary>A connector's durable state: its config, target state, task configs and their generation, and its topics.</summary>
[GenerateSerializer, Alias("Tributary.Grains.ConnectorState")]
public sealed class ConnectorState
{
    [Id(0)]
    public Dictionary<string, string>? Config { get; set; }

    [Id(1)]
    public ConnectorTargetState TargetState { get; set; }

    [Id(2)]
    public List<Dictionary<string, string>> TaskConfigs { get; set; } = [];

    /// <summary>Goes up whenever the task configs (or a sink's partitions) change, so that tasks restart with them.</summary>
    [Id(3)]
    public int Generation { get; set; }

    [Id(4)]
    public List<string> Topics { get; set; } = [];

    /// <summary><c>source</c> or <c>sink</c>.</summary>
    [Id(5)]
    public string Type { get; set; } = "";

    /// <summary>How many times each task was asked to restart; a new count restarts it.</summary>
    [Id(6)]
    public Dictionary<int, int> TaskRestarts { get; set; } = [];

    /// <summary>Each sink task's partitions, as "topic/partition" lists in task order.</summary>
    [Id(7)]
    public List<List<string>> SinkAssignments { get; set; } = [];
}

namespace Tributary.Grains.Interfaces.Connect;

/// <summary>What an operator asked a connector to be (Kafka's <c>TargetState</c>); REST's <c>initial_state</c> names RUNNING for STARTED.</summary>
public enum ConnectorTargetState
{
    Started,
    Paused,
    Stopped,
}

/// <summary>
/// The outcome of a Connect call: <see cref="Status"/> 0 with a <see cref="Value"/>, or the HTTP status Kafka's Connect
/// answers (400, 404, 409, 500 ...) with its message, which the REST API returns as <c>{"error_code", "message"}</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Connect.ConnectResult`1")]
public sealed record ConnectResult<T>([property: Id(0)] int Status, [property: Id(1)] string? Message, [property: Id(2)] T? Value)
{
    public bool IsSuccess => Status == 0;

    public static ConnectResult<T> Ok(T value) => new(0, null, value);

    public static ConnectResult<T> Error(int status, string message) => new(status, message, default);

    public ConnectResult<TOther> As<TOther>() => new(Status, Message, default);
}

/// <summary>A task's id as Connect's REST API shows it: <c>{"connector": "c1", "task": 0}</c>.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Connect.ConnectorTaskId")]
public sealed record ConnectorTaskId([property: Id(0)] string Connector, [property: Id(1)] int Task);

/// <summary>A connector's definition (Kafka's <c>ConnectorInfo</c>): name, config, tasks, and type (<c>source</c> or <c>sink</c>).</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Connect.ConnectorInfo")]
public sealed record ConnectorInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] IReadOnlyDictionary<string, string> Config,
    [property: Id(2)] IReadOnlyList<ConnectorTaskId> Tasks,
    [property: Id(3)] string Type);

/// <summary>The answer to creating or replacing a connector's config: whether it was created, and what it is now.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Connect.ConnectorPutResult")]
public sealed record ConnectorPutResult([property: Id(0)] bool Created, [property: Id(1)] ConnectorInfo Info);

/// <summary>One instance's state (Kafka's <c>AbstractState</c>): UNASSIGNED, RUNNING, PAUSED, STOPPED, FAILED or RESTARTING, where it runs, and a failure's trace.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Connect.ConnectInstanceState")]
public sealed record ConnectInstanceState([property: Id(0)] string State, [property: Id(1)] string WorkerId, [property: Id(2)] string? Trace);

[GenerateSerializer, Immutable, Alias("Tributary.Connect.ConnectTaskState")]
public sealed record ConnectTaskState([property: Id(0)] int Id, [property: Id(1)] ConnectInstanceState State);

/// <summary>A connector's status (Kafka's <c>ConnectorStateInfo</c>): the connector's state, each task's, and the type.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Connect.ConnectorStateInfo")]
public sealed record ConnectorStateInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] ConnectInstanceState Connector,
    [property: Id(2)] IReadOnlyList<ConnectTaskState> Tasks,
    [property: Id(3)] string Type);

/// <summary>A task's id and config, as <c>GET /connectors/{c}/tasks</c> lists them.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Connect.ConnectTaskInfo")]
public sealed record ConnectTaskInfo([property: Id(0)] ConnectorTaskId Id, [property: Id(1)] IReadOnlyDictionary<string, string> Config);

/// <summary>
/// One source partition's or sink topic-partition's offset, each a JSON object's text (<c>{"filename":"a.txt"}</c> →
/// <c>{"position":42}</c>; for sinks <c>{"kafka_topic":"t","kafka_partition":0}</c> → <c>{"kafka_offset":7}</c>);
/// a null offset in an alteration removes the partition's offset.
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Connect.ConnectorOffset")]
public sealed record ConnectorOffset([property: Id(0)] string PartitionJson, [property: Id(1)] string? OffsetJson);

/// <summary>A plug-in as <c>GET /connector-plugins</c> lists it: class, type (source, sink, converter, header_converter, transformation, predicate) and version.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Connect.ConnectPluginInfo")]
public sealed record ConnectPluginInfo([property: Id(0)] string Class, [property: Id(1)] string Type, [property: Id(2)] string Version);

/// <summary>A configuration key's definition as Connect's REST API shows it (Kafka's <c>ConfigKeyInfo</c>).</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Connect.ConfigKeyInfo")]
public sealed record ConfigKeyInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] string Type,
    [property: Id(2)] bool Required,
    [property: Id(3)] string? DefaultValue,
    [property: Id(4)] string Importance,
    [property: Id(5)] string Documentation,
    [property: Id(6)] string? Group,
    [property: Id(7)] int OrderInGroup,
    [property: Id(8)] string Width,
    [property: Id(9)] string DisplayName,
    [property: Id(10)] IReadOnlyList<string> Dependents);

/// <summary>A configuration value's validation (Kafka's <c>ConfigValueInfo</c>).</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Connect.ConfigValueInfo")]
public sealed record ConfigValueInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] string? Value,
    [property: Id(2)] IReadOnlyList<string> RecommendedValues,
    [property: Id(3)] IReadOnlyList<string> Errors,
    [property: Id(4)] bool Visible);

[GenerateSerializer, Immutable, Alias("Tributary.Connect.ConfigInfo")]
public sealed record ConfigInfo([property: Id(0)] ConfigKeyInfo? Definition, [property: Id(1)] ConfigValueInfo Value);

/// <summary>The answer of <c>config/validate</c> (Kafka's <c>ConfigInfos</c>).</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Connect.ConfigInfos")]
public sealed record ConfigInfos(
    [property: Id(0)] string Name,
    [property: Id(1)] int ErrorCount,
    [property: Id(2)] IReadOnlyList<string> Groups,
    [property: Id(3)] IReadOnlyList<ConfigInfo> Configs);

namespace Tributary.Grains.Streams.Topologies;

/// <summary>
/// A connected part of a topology: the nodes that one task runs, the topics it reads (each partition number of
/// them is a task), the topics it writes and its stores. Topic names as the topology names them (internal topics
/// without the application id). A global one feeds a global store and makes no tasks.
/// </summary>
internal sealed record Subtopology(
    int Id,
    IReadOnlyList<string> NodeNames,
    IReadOnlyList<string> SourceTopics,
    IReadOnlyList<string> SinkTopics,
    IReadOnlyList<string> StoreNames,
    bool IsGlobal = false);

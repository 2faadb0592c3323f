using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;

namespace Tributary.Grains.Streams.Topologies;

/// <summary>
/// How a topology makes one node for each task (Kafka's <c>NodeFactory</c>): its name, its parents, and a fresh
/// instance per task, since processors keep per-task state.
/// </summary>
internal abstract class NodeFactory(string name, IReadOnlyList<string> predecessors)
{
    public string Name { get; } = name;

    public IReadOnlyList<string> Predecessors { get; } = predecessors;

    /// <param name="topicName">the real name of a topic the topology names (internal topics get the application id in front)</param>
    public abstract ProcessorNode Build(Func<string, string> topicName);
}

internal sealed class SourceNodeFactory(
    string name, IReadOnlyList<string> topics, ISerde? keySerde, ISerde? valueSerde, ITimestampExtractor? extractor, bool isGlobal = false)
    : NodeFactory(name, [])
{
    public IReadOnlyList<string> Topics { get; } = topics;

    /// <summary>Whether the source feeds a global store: every instance reads all its topic's partitions, outside the group.</summary>
    public bool IsGlobal { get; } = isGlobal;

    public override ProcessorNode Build(Func<string, string> topicName) => new SourceNode(Name, keySerde, valueSerde, extractor);
}

internal sealed class ProcessorNodeFactory(string name, IReadOnlyList<string> predecessors, Func<string, ProcessorNode> make)
    : NodeFactory(name, predecessors)
{
    /// <summary>The stores connected to the processor.</summary>
    public HashSet<string> Stores { get; } = [];

    public override ProcessorNode Build(Func<string, string> topicName)
    {
        var node = make(Name);
        node.Stores.UnionWith(Stores);
        return node;
    }
}

internal sealed class SinkNodeFactory(
    string name,
    IReadOnlyList<string> predecessors,
    string? topic,
    string? extractorName,
    Func<Func<string, string>, ProcessorNode> make) : NodeFactory(name, predecessors)
{
    /// <summary>The topic, when the sink has one (not a topic name extractor).</summary>
    public string? Topic { get; } = topic;

    public string? ExtractorName { get; } = extractorName;

    public override ProcessorNode Build(Func<string, string> topicName) => make(topicName);
}

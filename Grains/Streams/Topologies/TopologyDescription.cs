using System.Text;

namespace Tributary.Grains.Streams.Topologies;

/// <summary>
/// A topology as Kafka's <c>Topology.describe()</c> shows it; <see cref="ToString"/> gives Kafka's text form, node
/// by node, larger sub-graphs first.
/// </summary>
public sealed class TopologyDescription(IReadOnlyList<SubtopologyDescription> subtopologies, IReadOnlyList<GlobalStoreDescription> globalStores)
{
    public IReadOnlyList<SubtopologyDescription> Subtopologies { get; } = subtopologies;

    public IReadOnlyList<GlobalStoreDescription> GlobalStores { get; } = globalStores;

    /// <summary>Sub-topologies and global stores in the order of their ids, which they share.</summary>
    public override string ToString()
    {
        var text = new StringBuilder("Topologies:\n ");
        var parts = Subtopologies.Select(s => (s.Id, Text: s.ToString()))
            .Concat(GlobalStores.Select(g => (g.Id, Text: g.ToString())))
            .OrderBy(p => p.Id);
        foreach (var (_, part) in parts)
        {
            text.Append("  ").Append(part);
        }

        return text.ToString();
    }
}

/// <summary>A global store's sub-topology (Kafka's <c>TopologyDescription.GlobalStore</c>): it makes no tasks.</summary>
public sealed class GlobalStoreDescription(int id, NodeDescription source, NodeDescription processor)
{
    public int Id { get; } = id;

    public NodeDescription Source { get; } = source;

    public NodeDescription Processor { get; } = processor;

    public override string ToString() =>
        $"Sub-topology: {Id} for global store (will not generate tasks)\n    {Source}\n    {Processor}\n";
}

/// <summary>One sub-topology of a description.</summary>
public sealed class SubtopologyDescription(int id, IReadOnlyList<NodeDescription> nodes)
{
    public int Id { get; } = id;

    /// <summary>The nodes, those with the largest graph below them first, then by name (Kafka's order).</summary>
    public IReadOnlyList<NodeDescription> Nodes { get; } = nodes;

    public override string ToString()
    {
        var text = new StringBuilder("Sub-topology: ").Append(Id).Append('\n');
        foreach (var node in Nodes)
        {
            text.Append("    ").Append(node).Append('\n');
        }

        return text.Append('\n').ToString();
    }
}

/// <summary>What kind of node a description shows.</summary>
public enum NodeKind
{
    Source,
    Processor,
    Sink,
}

/// <summary>One node of a description.</summary>
public sealed class NodeDescription
{
    internal NodeDescription(string name, NodeKind kind, string detail)
    {
        Name = name;
        Kind = kind;
        Detail = detail;
    }

    public string Name { get; }

    public NodeKind Kind { get; }

    /// <summary>The topics of a source, the stores of a processor, the topic of a sink, as Kafka prints them.</summary>
    public string Detail { get; }

    public List<NodeDescription> Predecessors { get; } = [];

    public List<NodeDescription> Successors { get; } = [];

    internal int Size { get; set; } = 1;

    public override string ToString() => Kind switch
    {
        NodeKind.Source => $"Source: {Name} ({Detail})\n      --> {Names(Successors)}",
        NodeKind.Processor => $"Processor: {Name} ({Detail})\n      --> {Names(Successors)}\n      <-- {Names(Predecessors)}",
        _ => $"Sink: {Name} ({Detail})\n      <-- {Names(Predecessors)}",
    };

    internal static int Compare(NodeDescription a, NodeDescription b) =>
        a.Size != b.Size ? b.Size.CompareTo(a.Size) : string.CompareOrdinal(a.Name, b.Name);

    private static string Names(List<NodeDescription> nodes)
    {
        if (nodes.Count == 0)
        {
            return "none";
        }

        nodes.Sort(Compare);
        return string.Join(", ", nodes.Select(n => n.Name));
    }
}

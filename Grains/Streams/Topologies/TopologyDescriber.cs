namespace Tributary.Grains.Streams.Topologies;

/// <summary>Turns a topology's node factories into Kafka's description of them.</summary>
internal static class TopologyDescriber
{
    public static TopologyDescription Describe(IReadOnlyList<Subtopology> subtopologies, IReadOnlyDictionary<string, NodeFactory> nodes) =>
        new(
            subtopologies.Where(s => !s.IsGlobal).Select(s => DescribeSubtopology(s, nodes)).ToList(),
            subtopologies.Where(s => s.IsGlobal).Select(s => DescribeGlobalStore(s, nodes)).ToList());

    /// <summary>A global sub-topology as Kafka shows it: its source and its processor with the one store it fills.</summary>
    private static GlobalStoreDescription DescribeGlobalStore(Subtopology subtopology, IReadOnlyDictionary<string, NodeFactory> nodes)
    {
        var source = nodes.Values.OfType<SourceNodeFactory>().First(n => subtopology.NodeNames.Contains(n.Name));
        var processor = nodes.Values.OfType<ProcessorNodeFactory>().First(n => subtopology.NodeNames.Contains(n.Name));
        var sourceNode = Node(source);
        var processorNode = Node(processor);
        sourceNode.Successors.Add(processorNode);
        processorNode.Predecessors.Add(sourceNode);
        return new GlobalStoreDescription(subtopology.Id, sourceNode, processorNode);
    }

    private static SubtopologyDescription DescribeSubtopology(Subtopology subtopology, IReadOnlyDictionary<string, NodeFactory> nodes)
    {
        var described = subtopology.NodeNames.ToDictionary(name => name, name => Node(nodes[name]));
        foreach (var name in subtopology.NodeNames)
        {
            foreach (var parent in nodes[name].Predecessors)
            {
                described[name].Predecessors.Add(described[parent]);
                described[parent].Successors.Add(described[name]);
            }
        }

        var sizes = new Dictionary<NodeDescription, int>();
        foreach (var node in described.Values)
        {
            node.Size = SizeOf(node, sizes);
        }

        var ordered = described.Values.ToList();
        ordered.Sort(NodeDescription.Compare);
        return new SubtopologyDescription(subtopology.Id, ordered);
    }

    /// <summary>The number of nodes in the graph from <paramref name="node"/> down, itself included.</summary>
    private static int SizeOf(NodeDescription node, Dictionary<NodeDescription, int> sizes)
    {
        if (sizes.TryGetValue(node, out var size))
        {
            return size;
        }

        size = 1 + node.Successors.Sum(s => SizeOf(s, sizes));
        sizes.Add(node, size);
        return size;
    }

    private static NodeDescription Node(NodeFactory factory) => factory switch
    {
        SourceNodeFactory source => new NodeDescription(source.Name, NodeKind.Source, $"topics: [{string.Join(", ", source.Topics)}]"),
        ProcessorNodeFactory processor => new NodeDescription(processor.Name, NodeKind.Processor, $"stores: [{string.Join(", ", processor.Stores)}]"),
        SinkNodeFactory sink => new NodeDescription(
            sink.Name, NodeKind.Sink, sink.Topic is not null ? $"topic: {sink.Topic}" : $"extractor class: {sink.ExtractorName}"),
        _ => throw new InvalidOperationException($"Unknown node {factory.Name}"),
    };
}

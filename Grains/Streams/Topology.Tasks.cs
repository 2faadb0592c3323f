using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Topologies;

namespace Tributary.Grains.Streams;

public sealed partial class Topology
{
    /// <summary>
    /// The sub-topologies, numbered in the order their first node was added, so upstream parts come first as in
    /// Kafka (its <c>makeNodeGroups</c>).
    /// </summary>
    internal IReadOnlyList<Subtopology> Subtopologies()
    {
        var groups = new List<List<NodeFactory>>();
        var groupOfRoot = new Dictionary<string, List<NodeFactory>>();
        foreach (var node in _nodes)
        {
            var root = _grouper.Root(node.Name);
            if (!groupOfRoot.TryGetValue(root, out var group))
            {
                group = [];
                groupOfRoot.Add(root, group);
                groups.Add(group);
            }

            group.Add(node);
        }

        return groups.Select((group, id) => new Subtopology(
            id,
            group.Select(n => n.Name).ToList(),
            group.OfType<SourceNodeFactory>().SelectMany(s => s.Topics).ToList(),
            group.OfType<SinkNodeFactory>().Where(s => s.Topic is not null).Select(s => s.Topic!).Distinct().ToList(),
            group.OfType<ProcessorNodeFactory>().SelectMany(p => p.Stores).Distinct().ToList(),
            group.OfType<SourceNodeFactory>().Any(s => s.IsGlobal))).ToList();
    }

    /// <summary>
    /// Makes the nodes and stores of one task of sub-topology <paramref name="subtopologyId"/>: fresh processors,
    /// children in the order they were added, stores registered with the task's state manager.
    /// </summary>
    internal ProcessorTopology BuildTask(int subtopologyId, TaskState task)
    {
        var subtopologies = Subtopologies();
        if (subtopologyId < 0 || subtopologyId >= subtopologies.Count)
        {
            throw new StreamsException($"The topology has no sub-topology {subtopologyId}");
        }

        var subtopology = subtopologies[subtopologyId];
        if (subtopology.IsGlobal)
        {
            throw new StreamsException($"Sub-topology {subtopologyId} feeds a global store and makes no tasks");
        }

        var built = new Dictionary<string, ProcessorNode>();
        var nodes = new List<ProcessorNode>();
        var sources = new Dictionary<string, SourceNode>();
        foreach (var name in subtopology.NodeNames)
        {
            var factory = _nodesByName[name];
            var node = factory.Build(topic => TopicName(task.ApplicationId, topic));
            built.Add(name, node);
            nodes.Add(node);
            foreach (var parent in factory.Predecessors)
            {
                built[parent].AddChild(node);
            }

            if (factory is SourceNodeFactory source)
            {
                foreach (var topic in source.Topics)
                {
                    sources.Add(TopicName(task.ApplicationId, topic), (SourceNode)node);
                }
            }
        }

        foreach (var storeName in subtopology.StoreNames)
        {
            var builder = _stores[storeName];
            task.StateManager.Add(builder.Build(), builder.LoggingEnabled);
        }

        return new ProcessorTopology(nodes, sources);
    }
}

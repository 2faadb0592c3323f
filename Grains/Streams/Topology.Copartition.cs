using Tributary.Grains.Streams.Topologies;

namespace Tributary.Grains.Streams;

public sealed partial class Topology
{
    private readonly List<string[]> _copartitionNodes = [];

    /// <summary>
    /// Declares that the topics feeding these nodes must have as many partitions as each other, so that one task
    /// meets every record of a key (Kafka's co-partition groups, made by joins and cogroups).
    /// </summary>
    internal void AddCopartitionGroup(params string[] nodeNames)
    {
        if (nodeNames.Length > 1)
        {
            _copartitionNodes.Add(nodeNames);
        }
    }

    /// <summary>The co-partition groups as sets of topic names (internal topics without the application id).</summary>
    internal IReadOnlyList<IReadOnlySet<string>> CopartitionGroups() =>
        [.. _copartitionNodes.Select(IReadOnlySet<string> (nodes) => nodes.SelectMany(SourceTopicsOf).ToHashSet())];

    /// <summary>The topics of the sources upstream of a node.</summary>
    private IEnumerable<string> SourceTopicsOf(string nodeName)
    {
        var seen = new HashSet<string>();
        var pending = new Stack<string>([nodeName]);
        while (pending.TryPop(out var name))
        {
            if (!seen.Add(name))
            {
                continue;
            }

            var node = _nodesByName[name];
            if (node is SourceNodeFactory source)
            {
                foreach (var topic in source.Topics)
                {
                    yield return topic;
                }
            }

            foreach (var parent in node.Predecessors)
            {
                pending.Push(parent);
            }
        }
    }
}

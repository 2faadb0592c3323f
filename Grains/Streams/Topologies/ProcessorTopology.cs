using Tributary.Grains.Streams.Internals;

namespace Tributary.Grains.Streams.Topologies;

/// <summary>The nodes one task runs, and its sources by the real name of the topic each reads.</summary>
internal sealed record ProcessorTopology(IReadOnlyList<ProcessorNode> Nodes, IReadOnlyDictionary<string, SourceNode> Sources);

/// <summary>The nodes of every global sub-topology, their sources by topic, and the global stores they fill.</summary>
internal sealed record GlobalTopology(
    IReadOnlyList<ProcessorNode> Nodes, IReadOnlyDictionary<string, SourceNode> Sources, IReadOnlyDictionary<string, State.IStateStore> Stores);

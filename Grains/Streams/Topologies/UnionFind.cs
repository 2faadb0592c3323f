namespace Tributary.Grains.Streams.Topologies;

/// <summary>Disjoint sets of names (Kafka's <c>QuickUnion</c>): which nodes end up in one sub-topology.</summary>
internal sealed class UnionFind
{
    private readonly Dictionary<string, string> _parent = [];

    public void Add(string name) => _parent.TryAdd(name, name);

    public string Root(string name)
    {
        Add(name);
        var root = name;
        while (_parent[root] != root)
        {
            root = _parent[root];
        }

        // Path compression keeps later lookups short.
        while (_parent[name] != root)
        {
            (name, _parent[name]) = (_parent[name], root);
        }

        return root;
    }

    public void Unite(string a, string b)
    {
        var rootA = Root(a);
        var rootB = Root(b);
        if (rootA != rootB)
        {
            _parent[rootB] = rootA;
        }
    }
}

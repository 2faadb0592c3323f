using Tributary.Grains.Streams.Dsl.Nodes;

namespace Tributary.Grains.Streams.Dsl;

/// <summary>
/// The branches of a split (Kafka's <c>BranchedKStream</c>): each record goes to the first branch whose predicate
/// it satisfies, or to the default branch. Branches are named <c>&lt;split name&gt;&lt;branch name or index&gt;</c>.
/// </summary>
public sealed class BranchedKStream<TKey, TValue>
{
    private readonly StreamsBuilder _builder;
    private readonly KStream<TKey, TValue> _source;
    private readonly string _splitterName;
    private readonly List<Func<TKey, TValue, bool>> _predicates = [];
    private readonly List<string> _childNames = [];
    private readonly Dictionary<string, KStream<TKey, TValue>> _branches = [];

    internal BranchedKStream(StreamsBuilder builder, KStream<TKey, TValue> source, string splitterName)
    {
        _builder = builder;
        _source = source;
        _splitterName = splitterName;
        // The splitter reads the lists as they grow: branches are added after it.
        builder.Topology.AddProcessorNode(splitterName, n => new BranchNode<TKey, TValue>(n, _predicates.ToList(), _childNames.ToList()), source.Name);
    }

    public BranchedKStream<TKey, TValue> Branch(Func<TKey, TValue, bool> predicate, Branched<TKey, TValue>? branched = null)
    {
        if (_childNames.Count > _predicates.Count)
        {
            throw new InvalidOperationException("No branch can follow the default branch");
        }

        _predicates.Add(predicate);
        AddBranch(branched, _predicates.Count);
        return this;
    }

    /// <summary>Adds the branch of the records no predicate took, and returns the branches by name.</summary>
    public IReadOnlyDictionary<string, KStream<TKey, TValue>> DefaultBranch(Branched<TKey, TValue>? branched = null)
    {
        AddBranch(branched, 0);
        return _branches;
    }

    /// <summary>Returns the branches by name; records no predicate took are dropped.</summary>
    public IReadOnlyDictionary<string, KStream<TKey, TValue>> NoDefaultBranch() => _branches;

    private void AddBranch(Branched<TKey, TValue>? branched, int index)
    {
        var name = _splitterName + (branched?.Name ?? index.ToString(System.Globalization.CultureInfo.InvariantCulture));
        _childNames.Add(name);
        _builder.NewProcessorName(name);
        _builder.Topology.AddProcessorNode(name, n => new PassThroughNode(n), _splitterName);
        var branch = new KStream<TKey, TValue>(_builder, name, _source.KeySerde, _source.ValueSerde, _source.RepartitionRequired);
        if (branched?.Chain is { } chain)
        {
            if (chain(branch) is { } result)
            {
                _branches[name] = result;
            }
        }
        else
        {
            _branches[name] = branch;
        }
    }
}

using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.State;

namespace Tributary.Grains.Streams.Internals;

/// <summary>
/// How a DSL node that writes a table forwards its changes (Kafka's <c>TimestampedTupleForwarder</c>): through its
/// store's cache, which forwards each key's latest change when it writes it below, or, without a cache, at once.
/// </summary>
internal sealed class TupleForwarder
{
    private readonly ProcessorNode _node;
    private readonly bool _cached;

    public TupleForwarder(IStateStore store, ProcessorNode node)
    {
        _node = node;
        _cached = store is IForwardingStore forwarding && forwarding.SetFlushListener(node.Forward);
    }

    public void MaybeForward(Record<object?, object?> record)
    {
        if (!_cached)
        {
            _node.Forward(record);
        }
    }
}

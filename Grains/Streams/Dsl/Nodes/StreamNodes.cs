using Tributary.Grains.Streams.Internals;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.State;

namespace Tributary.Grains.Streams.Dsl.Nodes;

// The stateless operations of a KStream, each a processor node as Kafka's KStreamFilter, KStreamMap... are.

internal sealed class FilterNode<TKey, TValue>(string name, Func<TKey, TValue, bool> predicate, bool not) : ProcessorNode(name)
{
    public override void Process(Record<object?, object?> record)
    {
        if (predicate(As<TKey>(record.Key), As<TValue>(record.Value)) != not)
        {
            Forward(record);
        }
    }
}

internal sealed class MapNode<TKey, TValue, TKeyOut, TValueOut>(string name, Func<TKey, TValue, KeyValue<TKeyOut, TValueOut>> mapper)
    : ProcessorNode(name)
{
    public override void Process(Record<object?, object?> record)
    {
        var pair = mapper(As<TKey>(record.Key), As<TValue>(record.Value));
        Forward(new Record<object?, object?>(pair.Key, pair.Value, record.Timestamp, record.Headers));
    }
}

internal sealed class MapValuesNode<TKey, TValue, TValueOut>(string name, Func<TKey, TValue, TValueOut> mapper) : ProcessorNode(name)
{
    public override void Process(Record<object?, object?> record) =>
        Forward(record with { Value = mapper(As<TKey>(record.Key), As<TValue>(record.Value)) });
}

internal sealed class FlatMapNode<TKey, TValue, TKeyOut, TValueOut>(string name, Func<TKey, TValue, IEnumerable<KeyValue<TKeyOut, TValueOut>>> mapper)
    : ProcessorNode(name)
{
    public override void Process(Record<object?, object?> record)
    {
        foreach (var pair in mapper(As<TKey>(record.Key), As<TValue>(record.Value)))
        {
            Forward(new Record<object?, object?>(pair.Key, pair.Value, record.Timestamp, record.Headers));
        }
    }
}

internal sealed class FlatMapValuesNode<TKey, TValue, TValueOut>(string name, Func<TKey, TValue, IEnumerable<TValueOut>> mapper) : ProcessorNode(name)
{
    public override void Process(Record<object?, object?> record)
    {
        foreach (var value in mapper(As<TKey>(record.Key), As<TValue>(record.Value)))
        {
            Forward(record with { Value = value });
        }
    }
}

internal sealed class KeySelectNode<TKey, TValue, TKeyOut>(string name, Func<TKey, TValue, TKeyOut> selector) : ProcessorNode(name)
{
    public override void Process(Record<object?, object?> record) =>
        Forward(record with { Key = selector(As<TKey>(record.Key), As<TValue>(record.Value)) });
}

/// <summary>Calls an action for each record and forwards it unchanged (peek), or forwards nothing (foreach).</summary>
internal sealed class PeekNode<TKey, TValue>(string name, Action<TKey, TValue> action, bool forward) : ProcessorNode(name)
{
    public override void Process(Record<object?, object?> record)
    {
        action(As<TKey>(record.Key), As<TValue>(record.Value));
        if (forward)
        {
            Forward(record);
        }
    }
}

internal sealed class PassThroughNode(string name) : ProcessorNode(name)
{
    public override void Process(Record<object?, object?> record) => Forward(record);
}

/// <summary>Drops records with a null key before a repartition topic: nothing downstream of it can use them.</summary>
internal sealed class NullKeyFilterNode(string name) : ProcessorNode(name)
{
    public override void Process(Record<object?, object?> record)
    {
        if (record.Key is not null)
        {
            Forward(record);
        }
    }
}

/// <summary>Sends each record to the child of the first predicate it satisfies, or to the default branch (Kafka's KStreamBranch).</summary>
internal sealed class BranchNode<TKey, TValue>(string name, IReadOnlyList<Func<TKey, TValue, bool>> predicates, IReadOnlyList<string> childNames)
    : ProcessorNode(name)
{
    public override void Process(Record<object?, object?> record)
    {
        var key = As<TKey>(record.Key);
        var value = As<TValue>(record.Value);
        for (var i = 0; i < predicates.Count; i++)
        {
            if (predicates[i](key, value))
            {
                Forward(record, childNames[i]);
                return;
            }
        }

        // The default branch, when there is one, is the child after the last predicate's.
        if (childNames.Count > predicates.Count)
        {
            Forward(record, childNames[predicates.Count]);
        }
    }
}

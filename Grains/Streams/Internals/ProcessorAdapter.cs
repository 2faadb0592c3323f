using Tributary.Grains.Streams.Processor;

namespace Tributary.Grains.Streams.Internals;

/// <summary>A node running a processor of the processor API: casts records to its types and gives it a typed context.</summary>
internal sealed class ProcessorAdapter<TKeyIn, TValueIn, TKeyOut, TValueOut>(string name, IProcessor<TKeyIn, TValueIn, TKeyOut, TValueOut> processor)
    : ProcessorNode(name)
{
    public override void Init(TaskState task)
    {
        base.Init(task);
        processor.Init(new NodeContext<TKeyOut, TValueOut>(this, task));
    }

    public override void Process(Record<object?, object?> record) =>
        processor.Process(new Record<TKeyIn, TValueIn>(As<TKeyIn>(record.Key), As<TValueIn>(record.Value), record.Timestamp, record.Headers));

    public override void Close() => processor.Close();
}

/// <summary>The context a node's processor sees: its task, its stores, and its children to forward to.</summary>
internal sealed class NodeContext<TKeyOut, TValueOut>(ProcessorNode node, TaskState task) : IProcessorContext<TKeyOut, TValueOut>
{
    public string ApplicationId => task.ApplicationId;

    public TaskId TaskId => task.TaskId;

    public RecordMetadata? RecordMetadata => task.CurrentMetadata;

    public long CurrentStreamTimeMs => task.StreamTime;

    public long CurrentSystemTimeMs => task.WallClockMs;

    public void Forward<TKey, TValue>(Record<TKey, TValue> record)
        where TKey : TKeyOut
        where TValue : TValueOut =>
        node.Forward(new Record<object?, object?>(record.Key, record.Value, record.Timestamp, record.Headers));

    public void Forward<TKey, TValue>(Record<TKey, TValue> record, string childName)
        where TKey : TKeyOut
        where TValue : TValueOut =>
        node.Forward(new Record<object?, object?>(record.Key, record.Value, record.Timestamp, record.Headers), childName);

    public TStore GetStateStore<TStore>(string name)
        where TStore : class =>
        !node.Stores.Contains(name) && !task.GlobalStores.ContainsKey(name)
            ? throw new StreamsException(
                $"Processor {node.Name} has no access to StateStore {name} as the store is not connected to the processor. "
                + "Connect it with Topology.AddStateStore or ConnectProcessorAndStateStores.")
            : task.GetStore(name) as TStore
              ?? throw new StreamsException($"State store {name} is not a {typeof(TStore).Name}");

    public ICancellable Schedule(TimeSpan interval, PunctuationType type, Action<long> punctuator) => task.Schedule(interval, type, punctuator);

    public void Commit() => task.CommitRequested = true;
}

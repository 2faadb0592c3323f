namespace Tributary.Grains.Streams.State;

/// <summary>
/// A store of a task's state (Kafka's <c>StateStore</c>). The task opens it with <see cref="Init"/> before the first
/// record, flushes it at each commit and closes it when the task closes; it is used by one thread at a time.
/// </summary>
public interface IStateStore
{
    string Name { get; }

    /// <summary>Whether the store keeps its data on local disk across restarts.</summary>
    bool Persistent { get; }

    bool IsOpen { get; }

    void Init(StateStoreContext context);

    void Flush();

    void Close();
}

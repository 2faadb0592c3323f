using Tributary.Grains.Streams.Processor;

namespace Tributary.Grains.Streams.Internals;

/// <summary>
/// A node of a task's processor graph. Between nodes records are untyped (keys and values as objects, as Java's
/// erasure leaves them); the DSL and the processor API's adapter cast at the edges. One instance per task, used by
/// the task's thread alone.
/// </summary>
internal abstract class ProcessorNode(string name)
{
    private readonly List<ProcessorNode> _children = [];

    public string Name { get; } = name;

    public IReadOnlyList<ProcessorNode> Children => _children;

    /// <summary>The state stores connected to this node, the only ones its processor may open.</summary>
    public HashSet<string> Stores { get; } = [];

    protected TaskState Task { get; private set; } = null!;

    public void AddChild(ProcessorNode child) => _children.Add(child);

    public virtual void Init(TaskState task) => Task = task;

    public abstract void Process(Record<object?, object?> record);

    public virtual void Close()
    {
    }

    /// <summary>Sends a record to every child, each after the other has finished with it (depth first, as Kafka does).</summary>
    public void Forward(Record<object?, object?> record)
    {
        foreach (var child in _children)
        {
            child.Process(record);
        }
    }

    public void Forward(Record<object?, object?> record, string childName)
    {
        foreach (var child in _children)
        {
            if (child.Name == childName)
            {
                child.Process(record);
                return;
            }
        }

        throw new StreamsException($"Unknown child name {childName} of processor {Name}");
    }

    /// <summary>An untyped key or value as the type a typed function takes (null stays the type's default).</summary>
    protected static T As<T>(object? value) => value is null ? default! : (T)value;
}

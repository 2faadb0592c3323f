namespace Tributary.Grains.Streams.Processor;

/// <summary>A task: one sub-topology over one partition number of its input topics, written <c>0_1</c> as Kafka writes it.</summary>
public readonly record struct TaskId(int Subtopology, int Partition) : IComparable<TaskId>
{
    public override string ToString() => $"{Subtopology}_{Partition}";

    public int CompareTo(TaskId other) =>
        Subtopology != other.Subtopology ? Subtopology.CompareTo(other.Subtopology) : Partition.CompareTo(other.Partition);

    public static TaskId Parse(string text) =>
        TryParse(text, out var task) ? task : throw new FormatException($"'{text}' is not a task id (<subtopology>_<partition>)");

    public static bool TryParse(string text, out TaskId task)
    {
        task = default;
        var separator = text.IndexOf('_', StringComparison.Ordinal);
        if (separator <= 0
            || !int.TryParse(text.AsSpan(0, separator), System.Globalization.CultureInfo.InvariantCulture, out var subtopology)
            || !int.TryParse(text.AsSpan(separator + 1), System.Globalization.CultureInfo.InvariantCulture, out var partition))
        {
            return false;
        }

        task = new TaskId(subtopology, partition);
        return true;
    }
}

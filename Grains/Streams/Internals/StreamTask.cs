using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.State;
using Tributary.Grains.Streams.Topologies;

namespace Tributary.Grains.Streams.Internals;

/// <summary>A record as consumed, before its source node reads it.</summary>
internal readonly record struct RawRecord(string Topic, int Partition, long Offset, byte[]? Key, byte[]? Value, long Timestamp, Headers Headers);

/// <summary>
/// One task: a sub-topology over one partition number of its input topics (Kafka's <c>StreamTask</c>). Records
/// wait in a queue per input partition and are processed one at a time, the earliest timestamp first, so that a
/// join or an aggregate over several topics sees them in time order. Used by one thread at a time.
/// </summary>
internal sealed class StreamTask
{
    private readonly ProcessorTopology _topology;
    private readonly RecordStamper _stamper;

    // A task reads one partition of each of a few topics: a list found by comparing names is cheaper than a dictionary
    // keyed by topic and partition, which hashed the (often long, internal) topic's name several times per record.
    private readonly List<PartitionQueue> _queues = [];
    private PartitionQueue? _lastAdded;

    public StreamTask(
        TaskId id, Topology topology, TaskState state, ITimestampExtractor defaultExtractor, DeserializationExceptionHandling onDeserializationError, ILogger logger)
    {
        Id = id;
        State = state;
        _stamper = new RecordStamper(defaultExtractor, onDeserializationError, logger);
        _topology = topology.BuildTask(id.Subtopology, state);
    }

    public TaskId Id { get; }

    public TaskState State { get; }

    /// <summary>The real names of the topics whose partition <see cref="TaskId.Partition"/> this task reads.</summary>
    public IEnumerable<string> SourceTopics => _topology.Sources.Keys;

    /// <summary>The offset of the last record processed (or skipped) per input partition since the last commit.</summary>
    public IEnumerable<KeyValuePair<TopicPartition, long>> ConsumedOffsets =>
        _queues.Where(q => q.Consumed >= 0).Select(q => KeyValuePair.Create(q.Partition, q.Consumed));

    public int Buffered
    {
        get
        {
            var buffered = 0;
            foreach (var queue in _queues)
            {
                buffered += queue.Records.Count;
            }

            return buffered;
        }
    }

    /// <summary>Opens the stores (each registers how its changelog restores it), then the processors.</summary>
    public void InitializeStores()
    {
        var context = new StateStoreContext(State);
        foreach (var store in State.StateManager.Stores.Values)
        {
            store.Init(context);
        }
    }

    public void InitializeProcessors()
    {
        foreach (var node in _topology.Nodes)
        {
            node.Init(State);
        }
    }

    public void AddRecord(RawRecord raw)
    {
        var queue = _lastAdded is { } last && last.Holds(raw) ? last : QueueOf(raw);
        _lastAdded = queue;
        queue.Records.Enqueue(Stamp(queue, raw));
    }

    private PartitionQueue QueueOf(RawRecord raw)
    {
        foreach (var queue in _queues)
        {
            if (queue.Holds(raw))
            {
                return queue;
            }
        }

        if (!_topology.Sources.TryGetValue(raw.Topic, out var source))
        {
            throw new StreamsException($"Task {Id} has no source for topic {raw.Topic}");
        }

        var added = new PartitionQueue(new TopicPartition(raw.Topic, raw.Partition), source);
        _queues.Add(added);
        return added;
    }

    /// <summary>Processes the buffered record with the earliest timestamp; false when none is buffered.</summary>
    public bool Process()
    {
        PartitionQueue? next = null;
        foreach (var queue in _queues)
        {
            if (queue.Records.Count > 0 && (next is null || queue.Records.Peek().Timestamp < next.Records.Peek().Timestamp))
            {
                next = queue;
            }
        }

        if (next is null)
        {
            return false;
        }

        var record = next.Records.Dequeue();
        var raw = record.Raw;
        next.Consumed = raw.Offset;
        if (record.Source is null)
        {
            return true;
        }

        State.CurrentMetadata = new RecordMetadata(raw.Topic, raw.Partition, raw.Offset);
        State.CurrentTimestamp = record.Timestamp;
        State.CurrentHeaders = raw.Headers;
        State.StreamTime = Math.Max(State.StreamTime, record.Timestamp);
        try
        {
            record.Source.Process(new Record<object?, object?>(record.Key, record.Value, record.Timestamp, raw.Headers));
        }
        catch (StreamsException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw new StreamsException(
                $"Exception caught in process. taskId={Id}, processor={record.Source.Name}, topic={raw.Topic}, partition={raw.Partition}, "
                + $"offset={raw.Offset}: {e.Message}", e);
        }

        MaybePunctuateStreamTime();
        return true;
    }

    public bool MaybePunctuateStreamTime() =>
        State.StreamTime >= 0 && State.StreamTimePunctuations.MayPunctuate(State.StreamTime, BeginPunctuation);

    public bool MaybePunctuateSystemTime() => State.WallClockPunctuations.MayPunctuate(State.WallClockMs, BeginPunctuation);

    /// <summary>The task's part of a commit: its stores written through; its offsets are taken by the caller.</summary>
    public void Flush() => State.StateManager.Flush();

    public void ClearConsumed()
    {
        foreach (var queue in _queues)
        {
            queue.Consumed = -1;
        }

        State.CommitRequested = false;
    }

    /// <param name="clean">whether the task was just committed, so that its checkpoint may say what its stores hold</param>
    public void Close(bool clean = false)
    {
        // A clean close writes what the caches hold while the processors that it is forwarded to are still open.
        if (clean)
        {
            State.StateManager.Flush();
        }

        foreach (var node in _topology.Nodes)
        {
            node.Close();
        }

        if (clean)
        {
            State.StateManager.Checkpoint(State.Collector, force: true);
        }

        State.StateManager.Close();
    }

    private void BeginPunctuation(long now)
    {
        State.CurrentMetadata = null;
        State.CurrentTimestamp = now;
        State.CurrentHeaders = [];
    }

    private StampedRecord Stamp(PartitionQueue queue, RawRecord raw) =>
        _stamper.TryStamp(queue.Source, raw, ref queue.PartitionTime, out var key, out var value, out var timestamp)
            ? new StampedRecord(raw, queue.Source, key, value, timestamp)
            : new StampedRecord(raw, null, null, null, raw.Timestamp);

    /// <summary>
    /// One input partition's records waiting to be processed, with its source node, its partition time (the largest
    /// timestamp extracted so far, -1 before any) and the offset of its last record processed since the last commit
    /// (-1 for none).
    /// </summary>
    private sealed class PartitionQueue(TopicPartition partition, SourceNode source)
    {
        public readonly Queue<StampedRecord> Records = new();
        public long PartitionTime = -1;
        public long Consumed = -1;

        public TopicPartition Partition { get; } = partition;

        public SourceNode Source { get; } = source;

        public bool Holds(RawRecord raw) => raw.Partition == Partition.Partition.Value && string.Equals(raw.Topic, Partition.Topic, StringComparison.Ordinal);
    }

    /// <summary>A deserialized record with its timestamp; without a source it is skipped (its offset still counts).</summary>
    private sealed record StampedRecord(RawRecord Raw, SourceNode? Source, object? Key, object? Value, long Timestamp);
}

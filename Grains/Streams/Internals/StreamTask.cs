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
    private readonly Dictionary<TopicPartition, Queue<StampedRecord>> _queues = [];
    private readonly Dictionary<TopicPartition, long> _consumed = [];

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
    public IReadOnlyDictionary<TopicPartition, long> ConsumedOffsets => _consumed;

    public int Buffered => _queues.Values.Sum(q => q.Count);

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
        var partition = new TopicPartition(raw.Topic, raw.Partition);
        if (!_queues.TryGetValue(partition, out var queue))
        {
            queue = new Queue<StampedRecord>();
            _queues.Add(partition, queue);
        }

        queue.Enqueue(Stamp(raw));
    }

    /// <summary>Processes the buffered record with the earliest timestamp; false when none is buffered.</summary>
    public bool Process()
    {
        Queue<StampedRecord>? next = null;
        foreach (var queue in _queues.Values)
        {
            if (queue.Count > 0 && (next is null || queue.Peek().Timestamp < next.Peek().Timestamp))
            {
                next = queue;
            }
        }

        if (next is null)
        {
            return false;
        }

        var record = next.Dequeue();
        var raw = record.Raw;
        _consumed[new TopicPartition(raw.Topic, raw.Partition)] = raw.Offset;
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
        _consumed.Clear();
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

    private StampedRecord Stamp(RawRecord raw)
    {
        if (!_topology.Sources.TryGetValue(raw.Topic, out var source))
        {
            throw new StreamsException($"Task {Id} has no source for topic {raw.Topic}");
        }

        return _stamper.TryStamp(source, raw, out var key, out var value, out var timestamp)
            ? new StampedRecord(raw, source, key, value, timestamp)
            : new StampedRecord(raw, null, null, null, raw.Timestamp);
    }

    /// <summary>A deserialized record with its timestamp; without a source it is skipped (its offset still counts).</summary>
    private sealed record StampedRecord(RawRecord Raw, SourceNode? Source, object? Key, object? Value, long Timestamp);
}

using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;

namespace Tributary.Grains.Streams.Internals;

/// <summary>Where records leave the graph for a topic: serialized and handed to the task's collector.</summary>
internal sealed class SinkNode(
    string name,
    Func<Record<object?, object?>, RecordContext, string> topicOf,
    ISerde? keySerde,
    ISerde? valueSerde,
    Func<string, object?, object?, int, int?>? partitioner) : ProcessorNode(name)
{
    private ISerde _keySerde = null!;
    private ISerde _valueSerde = null!;

    public override void Init(TaskState task)
    {
        base.Init(task);
        _keySerde = keySerde ?? task.DefaultKeySerde;
        _valueSerde = valueSerde is ChangeSerde change ? change.WithDefault(task.DefaultValueSerde) : valueSerde ?? task.DefaultValueSerde;
    }

    public override void Process(Record<object?, object?> record)
    {
        if (record.Timestamp < 0)
        {
            throw new StreamsException($"A record with a negative timestamp ({record.Timestamp}) cannot be written by sink {Name}");
        }

        var metadata = Task.CurrentMetadata;
        var context = new RecordContext(metadata?.Topic, metadata?.Partition ?? -1, metadata?.Offset ?? -1, record.Timestamp, record.Headers);
        var topic = topicOf(record, context);
        byte[]? key;
        byte[]? value;
        try
        {
            key = _keySerde.SerializeObject(topic, record.Key, record.Headers);
            value = _valueSerde.SerializeObject(topic, record.Value, record.Headers);
        }
        catch (InvalidCastException e)
        {
            throw new StreamsException(
                $"A serializer ({_keySerde.GetType().Name} for keys, {_valueSerde.GetType().Name} for values) is not compatible to the actual "
                + $"key or value type ({record.Key?.GetType().Name ?? "null"}, {record.Value?.GetType().Name ?? "null"}) at sink {Name}. "
                + "Change the default serdes in StreamsConfig or provide correct serdes via method parameters.", e);
        }

        var partition = partitioner?.Invoke(topic, record.Key, record.Value, Task.Collector.PartitionCount(topic));
        Task.Collector.Send(topic, key, value, record.Headers, record.Timestamp, partition);
    }
}

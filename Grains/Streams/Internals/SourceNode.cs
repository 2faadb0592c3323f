using Confluent.Kafka;
using Tributary.Grains.Streams.Processor;
using Tributary.Grains.Streams.Serialization;

namespace Tributary.Grains.Streams.Internals;

/// <summary>Where records of the task's input topics enter the graph: deserialized, stamped, forwarded.</summary>
internal sealed class SourceNode(string name, ISerde? keySerde, ISerde? valueSerde, ITimestampExtractor? extractor) : ProcessorNode(name)
{
    public ISerde KeySerde { get; private set; } = null!;

    public ISerde ValueSerde { get; private set; } = null!;

    public ITimestampExtractor? Extractor { get; } = extractor;

    public override void Init(TaskState task)
    {
        base.Init(task);
        KeySerde = keySerde ?? task.DefaultKeySerde;
        ValueSerde = valueSerde is ChangeSerde change ? change.WithDefault(task.DefaultValueSerde) : valueSerde ?? task.DefaultValueSerde;
    }

    public object? DeserializeKey(string topic, byte[]? data, Headers headers) => KeySerde.DeserializeObject(topic, data, headers);

    public object? DeserializeValue(string topic, byte[]? data, Headers headers) => ValueSerde.DeserializeObject(topic, data, headers);

    public override void Process(Record<object?, object?> record) => Forward(record);
}

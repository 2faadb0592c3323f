using Confluent.Kafka;
using Tributary.Grains.Streams.Serialization;

namespace Tributary.Grains.Streams.TestDriver;

/// <summary>A record read from or piped into a test topic.</summary>
public sealed record TestRecord<TKey, TValue>(TKey Key, TValue Value, Headers Headers, long Timestamp)
{
    public TestRecord(TKey key, TValue value, long timestamp)
        : this(key, value, [], timestamp)
    {
    }
}

/// <summary>Pipes records into one input topic of a <see cref="TopologyTestDriver"/> (Kafka's <c>TestInputTopic</c>).</summary>
public sealed class TestInputTopic<TKey, TValue>
{
    private readonly TopologyTestDriver _driver;
    private readonly string _topic;
    private readonly ISerde<TKey> _keySerde;
    private readonly ISerde<TValue> _valueSerde;
    private readonly TimeSpan _autoAdvance;
    private DateTimeOffset _current;

    internal TestInputTopic(TopologyTestDriver driver, string topic, ISerde<TKey> keySerde, ISerde<TValue> valueSerde, DateTimeOffset start, TimeSpan autoAdvance)
    {
        _driver = driver;
        _topic = topic;
        _keySerde = keySerde;
        _valueSerde = valueSerde;
        _current = start;
        _autoAdvance = autoAdvance;
    }

    /// <summary>Moves the time of the records piped without a timestamp.</summary>
    public void AdvanceTime(TimeSpan advance) => _current += advance;

    public void PipeInput(TValue value) => PipeInput(default!, value);

    public void PipeInput(TKey key, TValue value) => PipeInput(key, value, NextTimestamp());

    public void PipeInput(TKey key, TValue value, DateTimeOffset timestamp) => PipeInput(key, value, timestamp.ToUnixTimeMilliseconds());

    public void PipeInput(TKey key, TValue value, long timestampMs, Headers? headers = null)
    {
        headers ??= [];
        _driver.Pipe(
            _topic,
            key is null ? null : _keySerde.Serialize(_topic, key, headers),
            value is null ? null : _valueSerde.Serialize(_topic, value, headers),
            headers,
            timestampMs);
    }

    public void PipeInput(TestRecord<TKey, TValue> record) => PipeInput(record.Key, record.Value, record.Timestamp, record.Headers);

    public void PipeValueList(IEnumerable<TValue> values)
    {
        foreach (var value in values)
        {
            PipeInput(value);
        }
    }

    public void PipeKeyValueList(IEnumerable<(TKey Key, TValue Value)> pairs)
    {
        foreach (var (key, value) in pairs)
        {
            PipeInput(key, value);
        }
    }

    public void PipeRecordList(IEnumerable<TestRecord<TKey, TValue>> records)
    {
        foreach (var record in records)
        {
            PipeInput(record);
        }
    }

    private long NextTimestamp()
    {
        var timestamp = _current.ToUnixTimeMilliseconds();
        _current += _autoAdvance;
        return timestamp;
    }
}

/// <summary>Reads what a topology wrote to one topic of a <see cref="TopologyTestDriver"/> (Kafka's <c>TestOutputTopic</c>).</summary>
public sealed class TestOutputTopic<TKey, TValue>
{
    private readonly TopologyTestDriver _driver;
    private readonly string _topic;
    private readonly ISerde<TKey> _keySerde;
    private readonly ISerde<TValue> _valueSerde;

    internal TestOutputTopic(TopologyTestDriver driver, string topic, ISerde<TKey> keySerde, ISerde<TValue> valueSerde)
    {
        _driver = driver;
        _topic = topic;
        _keySerde = keySerde;
        _valueSerde = valueSerde;
    }

    public bool IsEmpty => _driver.QueueSize(_topic) == 0;

    public int QueueSize => _driver.QueueSize(_topic);

    /// <summary>The next record; throws when the topic has none left, as Kafka's does.</summary>
    public TestRecord<TKey, TValue> ReadRecord() => ReadRecord(out _);

    /// <param name="tombstone">whether the value was null on the topic (a value type reads it as its default)</param>
    internal TestRecord<TKey, TValue> ReadRecord(out bool tombstone)
    {
        var raw = _driver.Read(_topic) ?? throw new InvalidOperationException($"Empty topic: {_topic}");
        tombstone = raw.Value is null;
        return new TestRecord<TKey, TValue>(
            raw.Key is null ? default! : _keySerde.Deserialize(_topic, raw.Key, raw.Headers),
            raw.Value is null ? default! : _valueSerde.Deserialize(_topic, raw.Value, raw.Headers),
            raw.Headers,
            raw.Timestamp);
    }

    public TValue ReadValue() => ReadRecord().Value;

    public (TKey Key, TValue Value) ReadKeyValue()
    {
        var record = ReadRecord();
        return (record.Key, record.Value);
    }

    public List<TestRecord<TKey, TValue>> ReadRecordsToList()
    {
        var records = new List<TestRecord<TKey, TValue>>();
        while (!IsEmpty)
        {
            records.Add(ReadRecord());
        }

        return records;
    }

    public List<TValue> ReadValuesToList() => ReadRecordsToList().Select(r => r.Value).ToList();

    public List<(TKey Key, TValue Value)> ReadKeyValuesToList() => ReadRecordsToList().Select(r => (r.Key, r.Value)).ToList();
}

/// <summary>Reads of an output topic that need a non-null key type.</summary>
public static class TestOutputTopicExtensions
{
    /// <summary>The latest value of each key; a null value removes the key, as a table would.</summary>
    public static Dictionary<TKey, TValue> ReadKeyValuesToMap<TKey, TValue>(this TestOutputTopic<TKey, TValue> topic)
        where TKey : notnull
    {
        var map = new Dictionary<TKey, TValue>();
        while (!topic.IsEmpty)
        {
            var record = topic.ReadRecord(out var tombstone);
            if (tombstone)
            {
                map.Remove(record.Key);
            }
            else
            {
                map[record.Key] = record.Value;
            }
        }

        return map;
    }
}

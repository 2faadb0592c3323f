using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Transforms;

namespace Tributary.Tests.Connect.Runtime.Transforms;

/// <summary>Appends its <c>suffix</c> to a string value, so that the order of a chain shows in the result.</summary>
public sealed class AppendSuffix<TRecord> : ITransformation<TRecord>
    where TRecord : ConnectRecord<TRecord>
{
    private string _suffix = "";

    public ConfigDef Config { get; } = new ConfigDef()
        .Define("suffix", ConfigType.String, Importance.High, "What to append", required: true);

    public void Configure(IReadOnlyDictionary<string, string> configs) => _suffix = Config.Parse(configs).GetString("suffix")!;

    public TRecord? Apply(TRecord record) =>
        record.NewRecord(record.Topic, record.KafkaPartition, record.KeySchema, record.Key, Schema.String, record.Value + _suffix, record.Timestamp);
}

/// <summary>Drops every record it is applied to.</summary>
public sealed class DropAll<TRecord> : ITransformation<TRecord>
    where TRecord : ConnectRecord<TRecord>
{
    public ConfigDef Config { get; } = new();

    public void Configure(IReadOnlyDictionary<string, string> configs)
    {
    }

    public TRecord? Apply(TRecord record) => null;
}

/// <summary>Throws on every record, as a broken transform would.</summary>
public sealed class Explode<TRecord> : ITransformation<TRecord>
    where TRecord : ConnectRecord<TRecord>
{
    public ConfigDef Config { get; } = new();

    public void Configure(IReadOnlyDictionary<string, string> configs)
    {
    }

    public TRecord? Apply(TRecord record) => throw new InvalidOperationException("boom");
}

/// <summary>True for records of the topic named by <c>topic</c>.</summary>
public sealed class TopicIs<TRecord> : IPredicate<TRecord>
    where TRecord : ConnectRecord<TRecord>
{
    private string _topic = "";

    public ConfigDef Config { get; } = new ConfigDef()
        .Define("topic", ConfigType.String, Importance.High, "The topic", required: true);

    public void Configure(IReadOnlyDictionary<string, string> configs) => _topic = Config.Parse(configs).GetString("topic")!;

    public bool Test(TRecord record) => record.Topic == _topic;
}

/// <summary>
/// Throws on records whose value is <c>value</c>: a <see cref="Tributary.Grains.Connect.Api.RetriableException"/> the first <c>retriable.failures</c>
/// times it meets one, then lets it through; with no retriable failures, a plain failure every time.
/// </summary>
public sealed class FailOnValue<TRecord> : ITransformation<TRecord>
    where TRecord : ConnectRecord<TRecord>
{
    private string _value = "";
    private int _retriableFailures;
    private bool _failsForGood;

    public ConfigDef Config { get; } = new ConfigDef()
        .Define("value", ConfigType.String, Importance.High, "The value that fails", required: true)
        .Define("retriable.failures", ConfigType.Int, Importance.High, "Retriable failures before the value passes", defaultValue: 0);

    public void Configure(IReadOnlyDictionary<string, string> configs)
    {
        var parsed = Config.Parse(configs);
        _value = parsed.GetString("value")!;
        _retriableFailures = parsed.GetInt("retriable.failures");
        _failsForGood = _retriableFailures == 0;
    }

    public TRecord? Apply(TRecord record)
    {
        if (!Equals(record.Value, _value))
        {
            return record;
        }

        if (_failsForGood)
        {
            throw new InvalidOperationException("the value " + _value);
        }

        if (_retriableFailures == 0)
        {
            return record;
        }

        _retriableFailures--;
        throw new Tributary.Grains.Connect.Api.RetriableException("not yet: " + _value);
    }
}

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

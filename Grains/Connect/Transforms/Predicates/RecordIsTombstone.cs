using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Transforms;
using Tributary.Grains.Connect.Transforms.Util;

namespace Tributary.Grains.Connect.Transforms.Predicates;

/// <summary>True for tombstones, records whose value is null (Kafka's <c>RecordIsTombstone</c>).</summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.predicates.RecordIsTombstone")]
public sealed class RecordIsTombstone<TRecord> : IPredicate<TRecord>, IVersioned
    where TRecord : ConnectRecord<TRecord>
{
    public static readonly ConfigDef Definition = new();

    public ConfigDef Config => Definition;

    public string Version => TransformVersion.Current;

    public void Configure(IReadOnlyDictionary<string, string> configs)
    {
    }

    public bool Test(TRecord record) => record.Value is null;

    public override string ToString() => "RecordIsTombstone{}";
}

using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Transforms;
using Tributary.Grains.Connect.Transforms.Util;

namespace Tributary.Grains.Connect.Transforms;

/// <summary>
/// Drops every record (Kafka's <c>Filter</c>). Meant to be used with a predicate, so that only the records that match
/// (or, negated, that do not) are dropped from the rest of the chain.
/// </summary>
[ConnectPlugin("org.apache.kafka.connect.transforms.Filter")]
public sealed class Filter<TRecord> : ITransformation<TRecord>, IVersioned
    where TRecord : ConnectRecord<TRecord>
{
    public static readonly ConfigDef Definition = new();

    public ConfigDef Config => Definition;

    public string Version => TransformVersion.Current;

    public void Configure(IReadOnlyDictionary<string, string> configs)
    {
    }

    public TRecord? Apply(TRecord record) => null;
}

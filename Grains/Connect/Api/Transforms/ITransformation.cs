using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;

namespace Tributary.Grains.Connect.Api.Transforms;

/// <summary>
/// A single message transform (Kafka's <c>Transformation</c>): one record in, one record or null (dropped) out. Kafka's
/// transforms are generic over the record kind; ours are generic classes that the registry closes over
/// <c>SourceRecord</c> or <c>SinkRecord</c> for the connector at hand.
/// </summary>
public interface ITransformation<TRecord> : IDisposable
    where TRecord : ConnectRecord<TRecord>
{
    ConfigDef Config { get; }

    void Configure(IReadOnlyDictionary<string, string> configs);

    TRecord? Apply(TRecord record);

    void IDisposable.Dispose()
    {
    }
}

/// <summary>A condition on records that decides whether a transform applies (Kafka's <c>Predicate</c>).</summary>
public interface IPredicate<TRecord> : IDisposable
    where TRecord : ConnectRecord<TRecord>
{
    ConfigDef Config { get; }

    void Configure(IReadOnlyDictionary<string, string> configs);

    bool Test(TRecord record);

    void IDisposable.Dispose()
    {
    }
}

namespace Tributary.Grains.Interfaces.Transactions;

/// <summary>
/// Hands out producer ids, never the same one twice, across restarts too: ids are reserved from a durable counter a
/// block at a time. One instance, key 0.
/// </summary>
[Alias("Tributary.Transactions.IProducerIdGrain")]
public interface IProducerIdGrain : IGrainWithIntegerKey
{
    [Alias("Next")]
    Task<long> NextAsync();
}

namespace Tributary.Gateway.Kafka.Transactions;

/// <summary>
/// PRODUCER_FENCED is only understood by clients from the request versions that introduced it (KIP-588); older ones
/// are told INVALID_PRODUCER_EPOCH, as Kafka does.
/// </summary>
internal static class ProducerErrors
{
    public static short ForVersion(ErrorCode error, bool fencedKnown) =>
        (short)(error == ErrorCode.ProducerFenced && !fencedKnown ? ErrorCode.InvalidProducerEpoch : error);
}

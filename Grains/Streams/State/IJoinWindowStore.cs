namespace Tributary.Grains.Streams.State;

/// <summary>
/// One side of a stream-stream join: every record of the side within the retention period, duplicates kept (Kafka's
/// window store with <c>retainDuplicates</c>). The changelog key is Kafka's: the key, the 8-byte timestamp and a
/// 4-byte sequence number, big-endian, so that the in-memory and persistent kinds restore from each other's. One
/// thread at a time.
/// </summary>
internal interface IJoinWindowStore : IStateStore
{
    void Put(byte[] key, byte[] value, long timestamp);

    /// <summary>The records of a key from <paramref name="from"/> to <paramref name="to"/>, in time order (records of one time in the order they came, within one run).</summary>
    IReadOnlyList<(long Timestamp, byte[] Value)> Fetch(byte[] key, long from, long to);
}

namespace Tributary.Grains.Streams.State;

/// <summary>
/// The byte layer under a typed key-value store: where the data lives (memory, disk). Keys are ordered as unsigned
/// byte strings, as Kafka's stores order them. A null value deletes.
/// </summary>
public interface IKeyValueBytesStore : IStateStore
{
    byte[]? Get(byte[] key);

    void Put(byte[] key, byte[]? value);

    IEnumerable<KeyValuePair<byte[], byte[]>> Range(byte[] from, byte[] to);

    IEnumerable<KeyValuePair<byte[], byte[]>> All();

    long ApproximateNumEntries { get; }
}

/// <summary>Makes the byte layer of a key-value store (Kafka's <c>KeyValueBytesStoreSupplier</c>).</summary>
public interface IKeyValueBytesStoreSupplier
{
    string Name { get; }

    IKeyValueBytesStore Get();
}

namespace Tributary.Grains.Streams.State;

/// <summary>
/// Holds a key-value store's changes in the thread's record cache (Kafka's <c>CachingKeyValueStore</c>): reads see
/// them at once; the store below and its changelog get only each key's latest change, when the task commits or the
/// cache evicts the key. With a flush listener (the DSL's tables and aggregations), each written change is also
/// forwarded downstream, new value with the value it replaced below, in the context of the record that made it, so
/// that downstream sees one update per key and commit instead of one per record.
/// </summary>
internal sealed class CachingKeyValueStore(IKeyValueBytesStore inner) : CachingStore<IKeyValueBytesStore>(inner, ordered: false), IKeyValueBytesStore
{
    private Action<byte[], byte[]?, byte[]?, Internals.ProcessorRecordContext>? _listener;

    public long ApproximateNumEntries => Inner.ApproximateNumEntries + (Part.Named?.Count ?? 0);

    /// <summary>
    /// Sets what receives each change as it is written below (key, new value, the value it replaced, the change's
    /// record context); false when nothing is cached here, so the caller forwards each change itself.
    /// </summary>
    public bool SetFlushListener(Action<byte[], byte[]?, byte[]?, Internals.ProcessorRecordContext> listener)
    {
        _listener = Caching ? listener : null;
        return Caching;
    }

    public byte[]? Get(byte[] key) => Part.Named?.Get(key) is { } entry ? entry.Value : Inner.Get(key);

    public void Put(byte[] key, byte[]? value)
    {
        if (Part.Named is null)
        {
            Inner.Put(key, value);
            return;
        }

        Part.Put(key, value);
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Range(byte[] from, byte[] to) =>
        Merge(Inner.Range(from, to), e => ByteArrayComparer.Instance.Compare(e.Key, from) >= 0 && ByteArrayComparer.Instance.Compare(e.Key, to) <= 0);

    public IEnumerable<KeyValuePair<byte[], byte[]>> All() => Merge(Inner.All(), _ => true);

    /// <summary>
    /// The store below's entries merged with the cached ones, in key order: a cached entry replaces the one below,
    /// a cached deletion hides it. The cached part is a snapshot taken when reading starts.
    /// </summary>
    private IEnumerable<KeyValuePair<byte[], byte[]>> Merge(IEnumerable<KeyValuePair<byte[], byte[]>> below, Func<DirtyEntry, bool> inRange)
    {
        if (Part.Named is not { Count: > 0 } named)
        {
            return below;
        }

        var cached = named.Snapshot().Where(inRange).ToList();
        cached.Sort((a, b) => ByteArrayComparer.Instance.Compare(a.Key, b.Key));
        return MergeSorted(below, cached);
    }

    private static IEnumerable<KeyValuePair<byte[], byte[]>> MergeSorted(IEnumerable<KeyValuePair<byte[], byte[]>> below, List<DirtyEntry> cached)
    {
        var next = 0;
        foreach (var entry in below)
        {
            for (; next < cached.Count && ByteArrayComparer.Instance.Compare(cached[next].Key, entry.Key) < 0; next++)
            {
                if (cached[next].Entry.Value is { } value)
                {
                    yield return new(cached[next].Key, value);
                }
            }

            if (next < cached.Count && ByteArrayComparer.Instance.Equals(cached[next].Key, entry.Key))
            {
                if (cached[next].Entry.Value is { } value)
                {
                    yield return new(entry.Key, value);
                }

                next++;
                continue;
            }

            yield return entry;
        }

        for (; next < cached.Count; next++)
        {
            if (cached[next].Entry.Value is { } value)
            {
                yield return new(cached[next].Key, value);
            }
        }
    }

    /// <summary>Writes a flushed change below (in its record's context) and hands it to the listener with the value it replaced.</summary>
    protected override void Write(DirtyEntry dirty)
    {
        var (key, entry) = dirty;
        var old = _listener is null ? null : Inner.Get(key);
        // Nothing to write or forward: a key made and deleted within the cache.
        if (entry.Value is null && old is null && _listener is not null)
        {
            return;
        }

        Inner.Put(key, entry.Value);
        _listener?.Invoke(key, entry.Value, old, entry.Context);
    }
}

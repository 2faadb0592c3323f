namespace Tributary.Grains.Streams.State;

/// <summary>
/// A caching store's part of its thread's record cache: opened with the store where the task has a cache, given
/// back when the store closes; its flushes write each change in the context of the record that made it and put the
/// current context back afterwards.
/// </summary>
internal sealed class StoreCachePart
{
    private ThreadCache? _cache;

    public StateStoreContext Context { get; private set; } = null!;

    /// <summary>The store's entries; null where the task has no cache (or no memory for one), so the store writes through.</summary>
    public NamedCache? Named { get; private set; }

    public bool HasDirty => Named?.HasDirty == true;

    /// <param name="ordered">whether the store reads ranges of its cache (see <see cref="NamedCache.Range"/>)</param>
    public void Open(StateStoreContext context, string storeName, Action<DirtyEntry> write, bool ordered = false)
    {
        Context = context;
        if (context.Cache is { MaxBytes: > 0 } cache)
        {
            _cache = cache;
            Named = cache.Open(context.CacheName(storeName), entries => WriteAll(entries, write), ordered);
        }
    }

    /// <summary>Puts a change in the cache, in the context of the record being processed.</summary>
    public void Put(byte[] key, byte[]? value, long valueTimestamp = -1) =>
        _cache!.Put(Named!, key, new CacheEntry(value, valueTimestamp, Context.RecordContext));

    /// <summary>Drops the store's entries: a clean close flushed them before, and what is left was never committed.</summary>
    public void Close()
    {
        if (Named is not null)
        {
            _cache!.Close(Named);
            Named = null;
        }
    }

    private void WriteAll(IReadOnlyList<DirtyEntry> entries, Action<DirtyEntry> write)
    {
        var current = Context.RecordContext;
        try
        {
            foreach (var entry in entries)
            {
                Context.RecordContext = entry.Entry.Context;
                write(entry);
            }
        }
        finally
        {
            Context.RecordContext = current;
        }
    }
}

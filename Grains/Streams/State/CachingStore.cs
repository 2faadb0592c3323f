namespace Tributary.Grains.Streams.State;

/// <summary>A store layer that holds changes in the thread's record cache until a commit or an eviction writes them below.</summary>
internal interface ICachingStore
{
    bool HasDirty { get; }

    /// <summary>Writes the cached changes to the store below (and forwards them), without flushing that store.</summary>
    void FlushCache();
}

/// <summary>
/// What the caching layers of key-value, window and session stores share: the store below, their part of the
/// thread's cache, and how a commit or a close reaches both. Each writes its flushed changes below in its own way.
/// </summary>
/// <param name="ordered">whether the store reads ranges of its cache (window and session stores)</param>
internal abstract class CachingStore<TInner>(TInner inner, bool ordered) : ICachingStore
    where TInner : IStateStore
{
    public string Name => inner.Name;

    public bool Persistent => inner.Persistent;

    public bool IsOpen => inner.IsOpen;

    /// <summary>Whether changes wait in the cache (false where the task has no cache, as standbys and global stores).</summary>
    public bool Caching => Part.Named is not null;

    public bool HasDirty => Part.HasDirty;

    protected TInner Inner => inner;

    protected StoreCachePart Part { get; } = new();

    public void Init(StateStoreContext context)
    {
        inner.Init(context);
        Part.Open(context, Name, Write, ordered);
    }

    public void FlushCache() => Part.Named?.Flush();

    public void Flush()
    {
        FlushCache();
        inner.Flush();
    }

    public void Close()
    {
        Part.Close();
        inner.Close();
    }

    /// <summary>Writes a flushed change below (in its record's context, which the cache part sets) and hands it to the flush listener.</summary>
    protected abstract void Write(DirtyEntry dirty);
}

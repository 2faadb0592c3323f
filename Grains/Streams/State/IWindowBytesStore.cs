namespace Tributary.Grains.Streams.State;

/// <summary>
/// The byte layer under a typed window store (Kafka's <c>WindowStore&lt;Bytes, byte[]&gt;</c>): values per serialized
/// key and window start, each with the latest record time it holds. A null value removes the window; a put into a
/// window that has fallen out of the retention period is ignored. One thread at a time.
/// </summary>
internal interface IWindowBytesStore : IStateStore
{
    long WindowSizeMs { get; }

    void Put(byte[] key, byte[]? value, long windowStart, long timestamp);

    (byte[] Value, long Timestamp)? Fetch(byte[] key, long windowStart);

    /// <summary>The windows of a key whose start lies from <paramref name="from"/> to <paramref name="to"/>, earliest first.</summary>
    IEnumerable<(long Start, byte[] Value, long Timestamp)> Fetch(byte[] key, long from, long to);

    /// <summary>Every window from <paramref name="from"/> to <paramref name="to"/>, by start, then key bytes.</summary>
    IEnumerable<(byte[] Key, long Start, byte[] Value, long Timestamp)> FetchAll(long from, long to);
}

/// <summary>
/// The byte layer under a typed session store (Kafka's <c>SessionStore&lt;Bytes, byte[]&gt;</c>): values per
/// serialized key and session (start, end). Sessions that ended out of the retention period are gone. One thread at a time.
/// </summary>
internal interface ISessionBytesStore : IStateStore
{
    /// <summary>Puts or, with a null value, removes the session of a key.</summary>
    void Put(byte[] key, long start, long end, byte[]? value);

    /// <summary>The sessions of a key that end at or after <paramref name="earliestEnd"/> and start at or before <paramref name="latestStart"/>, by end, then start.</summary>
    IEnumerable<(long Start, long End, byte[] Value)> Find(byte[] key, long earliestEnd, long latestStart);

    /// <summary>Every session, by key bytes, then end, then start.</summary>
    IEnumerable<(byte[] Key, long Start, long End, byte[] Value)> All();
}

namespace Tributary.Grains.Storage.Log;

/// <summary>
/// A log's high watermark, the end of what readers see: the smaller of what the log itself has ready (its end, or in
/// durable mode what is fsynced) and, once its partition is replicated, what the in-sync replicas hold (the leader's
/// ISR tracker, or a follower's copy of its leader's high watermark). Readers waiting for data are woken when it moves.
/// <para>Invariants: it never goes back while the log serves, so that no consumer ever sees a record disappear; only a
/// follower's truncation (<see cref="CutBackTo"/>) or the start of replication (<see cref="StartReplicating"/>),
/// neither of which happens while clients read this replica, take it back.</para>
/// <para>Threads: any. Each input only rises (compare-and-swap raises), and the value is raised to their minimum after
/// every change, so concurrent moves never lose one. Nothing is on disk.</para>
/// </summary>
internal sealed class LogHighWatermark(long initial)
{
    private const long NotReplicated = long.MaxValue;

    private readonly DataArrivalSignal _arrived = new();
    private long _value = initial;
    private long _locallyReady = initial;
    private long _replicated = NotReplicated;

    public long Value => Volatile.Read(ref _value);

    /// <summary>The log has everything before <paramref name="offset"/> ready for readers (appended, or fsynced in durable mode).</summary>
    public void AdvanceLocal(long offset)
    {
        Monotonic.RaiseTo(ref _locallyReady, offset);
        Publish();
    }

    /// <summary>The partition's in-sync replicas hold everything before <paramref name="offset"/>.</summary>
    public void AdvanceReplicated(long offset)
    {
        Monotonic.RaiseTo(ref _replicated, offset);
        Publish();
    }

    /// <summary>
    /// From now on the in-sync replicas bound the high watermark, starting at <paramref name="offset"/> (the value a
    /// new leader or follower starts from); a value above it comes back to it.
    /// </summary>
    public void StartReplicating(long offset)
    {
        Volatile.Write(ref _replicated, offset);
        Volatile.Write(ref _value, Math.Min(Value, offset));
        Publish();
    }

    /// <summary>A follower's log was cut back to end at <paramref name="endOffset"/>: nothing past it is ready any more.</summary>
    public void CutBackTo(long endOffset)
    {
        Volatile.Write(ref _locallyReady, Math.Min(Volatile.Read(ref _locallyReady), endOffset));
        if (Volatile.Read(ref _replicated) != NotReplicated)
        {
            Volatile.Write(ref _replicated, Math.Min(Volatile.Read(ref _replicated), endOffset));
        }

        Volatile.Write(ref _value, Math.Min(Value, endOffset));
    }

    /// <summary>Completes when <paramref name="done"/> holds, checked after every move (Kafka's delayed fetch).</summary>
    public Task WaitAsync(Func<bool> done, CancellationToken cancellationToken) => _arrived.WaitAsync(done, cancellationToken);

    /// <summary>Wakes the waiters without a move (the log closed).</summary>
    public void Signal() => _arrived.Signal();

    private void Publish()
    {
        Monotonic.RaiseTo(ref _value, Math.Min(Volatile.Read(ref _locallyReady), Volatile.Read(ref _replicated)));
        _arrived.Signal();
    }
}

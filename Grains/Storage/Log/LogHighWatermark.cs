namespace Tributary.Grains.Storage.Log;

/// <summary>
/// A log's high watermark, the end of what readers see: the smaller of what the log itself has ready (its end, or in
/// durable mode what is fsynced) and, once its partition is replicated, what the in-sync replicas hold (the leader's
/// ISR tracker, or a follower's copy of its leader's high watermark). Readers waiting for data are woken when it moves.
/// <para>Invariants: it never goes back while the log serves, so that no consumer ever sees a record disappear; only a
/// follower's truncation (<see cref="CutBackTo"/>) or the start of replication (<see cref="StartReplicating"/>),
/// neither of which happens while clients read this replica, take it back.</para>
/// <para>Threads: any. Every change takes one small lock (no I/O under it), so a move and a cut never interleave;
/// readers read the value without it. Waiters are woken after the lock is released. Nothing is on disk.</para>
/// </summary>
internal sealed class LogHighWatermark(long initial)
{
    private const long NotReplicated = long.MaxValue;

    private readonly Lock _lock = new();
    private readonly DataArrivalSignal _arrived = new();
    private long _value = initial;
    private long _locallyReady = initial;
    private long _replicated = NotReplicated;

    public long Value => Volatile.Read(ref _value);

    /// <summary>The end of what the log itself has ready for readers: its end, or in durable mode what is fsynced.</summary>
    public long LocallyReady => Volatile.Read(ref _locallyReady);

    /// <summary>The log has everything before <paramref name="offset"/> ready for readers (appended, or fsynced in durable mode).</summary>
    public void AdvanceLocal(long offset)
    {
        lock (_lock)
        {
            _locallyReady = Math.Max(_locallyReady, offset);
            Publish();
        }

        _arrived.Signal();
    }

    /// <summary>The partition's in-sync replicas hold everything before <paramref name="offset"/>.</summary>
    public void AdvanceReplicated(long offset)
    {
        bool moved;
        lock (_lock)
        {
            if (_replicated == NotReplicated)
            {
                return;
            }

            var before = _value;
            _replicated = Math.Max(_replicated, offset);
            Publish();
            moved = _value != before;
        }

        // Every follower's fetch reports what it holds: only a move is news for the readers waiting.
        if (moved)
        {
            _arrived.Signal();
        }
    }

    /// <summary>
    /// From now on the in-sync replicas bound the high watermark, starting at <paramref name="offset"/> (the value a
    /// new leader or follower starts from); a value above it comes back to it.
    /// </summary>
    public void StartReplicating(long offset)
    {
        lock (_lock)
        {
            _replicated = offset;
            Volatile.Write(ref _value, Math.Min(_value, offset));
            Publish();
        }

        _arrived.Signal();
    }

    /// <summary>A follower's log was cut back to end at <paramref name="endOffset"/>: nothing past it is ready any more.</summary>
    public void CutBackTo(long endOffset)
    {
        lock (_lock)
        {
            _locallyReady = Math.Min(_locallyReady, endOffset);
            if (_replicated != NotReplicated)
            {
                _replicated = Math.Min(_replicated, endOffset);
            }

            Volatile.Write(ref _value, Math.Min(_value, endOffset));
        }
    }

    /// <summary>
    /// Completes when <paramref name="done"/> holds, checked after every move (Kafka's delayed fetch). A wake-up that
    /// did not bring it (another reader's offset, a move short of this one's) waits again, so that long polls on one
    /// log do not wake each other into a busy loop.
    /// </summary>
    public async Task WaitAsync(Func<bool> done, CancellationToken cancellationToken)
    {
        while (!done())
        {
            await _arrived.WaitAsync(done, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Wakes the waiters without a move (the log closed).</summary>
    public void Signal() => _arrived.Signal();

    /// <summary>Raises the value to the smaller of the two bounds; under the lock.</summary>
    private void Publish() => Volatile.Write(ref _value, Math.Max(_value, Math.Min(_locallyReady, _replicated)));
}

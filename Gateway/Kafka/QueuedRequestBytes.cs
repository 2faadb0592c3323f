using Microsoft.Extensions.Options;

namespace Tributary.Gateway.Kafka;

/// <summary>
/// Kafka's <c>queued.max.request.bytes</c> for one silo: the bytes of the requests that all its Kafka connections
/// hold, each from the moment its size is read until its response is written (or, when it gets none, until it is
/// handled). A connection that finds the budget spent stops reading: its pipe fills, then the socket's buffers, and
/// the client waits (backpressure, as Kafka mutes the channel), until responses release bytes. No request is dropped
/// or failed for it.
/// <para>
/// As Kafka's memory pool, a request is admitted whenever less than the budget is held, however large it is: the bytes
/// held never exceed the budget plus one request, and a request larger than the whole budget is still served (it
/// waits until less than the budget is held, at the latest until nothing is). Connections that wait are admitted in
/// the order they asked, whatever their size, so none is passed over. Since handling a request never waits for this
/// budget, bytes held are always released in time and waiting cannot deadlock. Invariant: connections wait only
/// while at least the budget is held.
/// </para>
/// <para>Thread-safe; one per silo. A limit of 0 or less is no limit (Kafka's -1).</para>
/// </summary>
public sealed class QueuedRequestBytes
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private long _held;
    private long _peakHeld;
    private int _largestRequest;
    private long _waits;

    public QueuedRequestBytes(IOptions<KafkaListenerOptions> options)
        : this(options.Value.QueuedMaxRequestBytes)
    {
    }

    internal QueuedRequestBytes(long limit) => Limit = limit > 0 ? limit : long.MaxValue;

    /// <summary>The budget in bytes; <see cref="long.MaxValue"/> when unbounded.</summary>
    public long Limit { get; }

    /// <summary>Bytes of requests held now.</summary>
    internal long Held
    {
        get
        {
            lock (_lock)
            {
                return _held;
            }
        }
    }

    /// <summary>The most bytes ever held at once.</summary>
    internal long PeakHeld
    {
        get
        {
            lock (_lock)
            {
                return _peakHeld;
            }
        }
    }

    /// <summary>The largest request admitted so far.</summary>
    internal int LargestRequest
    {
        get
        {
            lock (_lock)
            {
                return _largestRequest;
            }
        }
    }

    /// <summary>How many times a connection had to wait for bytes.</summary>
    internal long Waits
    {
        get
        {
            lock (_lock)
            {
                return _waits;
            }
        }
    }

    /// <summary>Connections waiting for bytes now.</summary>
    internal int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>
    /// Takes <paramref name="bytes"/> for a request, at once when less than the budget is held and nobody waits, else
    /// once earlier waiters are served and less than the budget is held. Cancelled, it takes nothing.
    /// </summary>
    public async ValueTask ReserveAsync(int bytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        Waiter waiter;
        LinkedListNode<Waiter> node;
        lock (_lock)
        {
            if (_waiters.Count == 0 && _held < Limit)
            {
                Take(bytes);
                return;
            }

            waiter = new Waiter(bytes);
            node = _waiters.AddLast(waiter);
            _waits++;
        }

        using (cancellationToken.UnsafeRegister(
            static (state, token) =>
            {
                var (budget, waiting) = ((QueuedRequestBytes, LinkedListNode<Waiter>))state!;
                budget.Cancel(waiting, token);
            },
            (this, node)))
        {
            await waiter.Admitted.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Gives back bytes taken by <see cref="ReserveAsync"/>, admitting waiting connections they make room for.</summary>
    public void Release(long bytes)
    {
        lock (_lock)
        {
            _held -= bytes;
            AdmitWaiters();
        }
    }

    private void Cancel(LinkedListNode<Waiter> node, CancellationToken token)
    {
        lock (_lock)
        {
            if (node.List is null)
            {
                return; // admitted just before: the bytes are taken, and the caller holds them
            }

            // Admission does not depend on a request's size, so the others' turn is unchanged.
            _waiters.Remove(node);
            node.Value.Admitted.TrySetCanceled(token);
        }
    }

    private void AdmitWaiters()
    {
        while (_waiters.First is { } first && _held < Limit)
        {
            _waiters.RemoveFirst();
            Take(first.Value.Bytes);
            first.Value.Admitted.TrySetResult();
        }
    }

    private void Take(int bytes)
    {
        _held += bytes;
        _peakHeld = Math.Max(_peakHeld, _held);
        _largestRequest = Math.Max(_largestRequest, bytes);
    }

    private sealed class Waiter(int bytes)
    {
        public int Bytes { get; } = bytes;

        // Completed under the lock: continuations run elsewhere, never inside it.
        public TaskCompletionSource Admitted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

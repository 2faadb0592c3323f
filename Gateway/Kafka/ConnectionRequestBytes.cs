namespace Tributary.Gateway.Kafka;

/// <summary>
/// What one connection holds of the silo's <see cref="QueuedRequestBytes"/>: its requests being read, queued and
/// handled. Each request's bytes are released once its response is written; whatever is still held when the
/// connection closes (requests it never answered) is released then. Reserved by the connection's reader, released by
/// its handler loop: thread-safe.
/// </summary>
internal sealed class ConnectionRequestBytes(QueuedRequestBytes budget)
{
    private long _held;
    private long _outside;

    public async ValueTask ReserveAsync(int bytes, CancellationToken cancellationToken)
    {
        await budget.ReserveAsync(bytes, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _held, bytes);
    }

    /// <summary>
    /// A frame read before its connection is authenticated: not from the silo's budget, which no unauthenticated client
    /// may hold (such frames are bounded by <c>sasl.server.max.receive.size</c> and read one at a time instead).
    /// </summary>
    public void ReserveOutsideBudget(int bytes) => Interlocked.Add(ref _outside, bytes);

    /// <summary>A frame was answered: its bytes go back, to the budget unless they were taken outside it.</summary>
    public void Release(int bytes)
    {
        var outside = Math.Min(Interlocked.Read(ref _outside), bytes);
        Interlocked.Add(ref _outside, -outside);
        var fromBudget = bytes - outside;
        if (fromBudget > 0)
        {
            Interlocked.Add(ref _held, -fromBudget);
            budget.Release(fromBudget);
        }
    }

    /// <summary>Releases everything the connection still holds; called once, when it has closed.</summary>
    public void ReleaseAll()
    {
        var rest = Interlocked.Exchange(ref _held, 0);
        if (rest != 0)
        {
            budget.Release(rest);
        }
    }
}

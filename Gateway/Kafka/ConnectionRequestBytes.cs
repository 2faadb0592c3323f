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

    public async ValueTask ReserveAsync(int bytes, CancellationToken cancellationToken)
    {
        await budget.ReserveAsync(bytes, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _held, bytes);
    }

    public void Release(int bytes)
    {
        Interlocked.Add(ref _held, -bytes);
        budget.Release(bytes);
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

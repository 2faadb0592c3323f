namespace Tributary.Grains.Storage.Log;

public sealed partial class PartitionLog
{
    /// <inheritdoc cref="LogFlusher.FlushAsync"/>
    public Task FlushAsync() => _flusher.FlushAsync();

    /// <summary>
    /// Moves the recovery checkpoint up to the log end when appends have gone past it (a flush round with a
    /// checkpoint), so that recovery after a crash has little to validate. Does nothing when the checkpoint is current,
    /// or when a log without one has had nothing appended (there is nothing to vouch for).
    /// </summary>
    public Task CheckpointIfBehindAsync() => _closed ? Task.CompletedTask : _flusher.CheckpointIfBehindAsync(LogEndOffset);

    /// <summary>
    /// Kafka's time-based flush: starts a background flush when data has stayed unflushed for <c>flush.ms</c>.
    /// Called periodically by the owner.
    /// </summary>
    public void FlushIfDue()
    {
        if (!_closed)
        {
            _flusher.FlushIfDue(Config, NowMs);
        }
    }
}

namespace Tributary.Grains.Interfaces;

/// <summary>
/// Response timeouts (<c>[ResponseTimeout]</c>) of the grain calls that may rightly wait longer than Orleans' default
/// of 30 s, after which the caller gets a TimeoutException and the Kafka gateway closes its client's connection.
/// </summary>
public static class LongCalls
{
    /// <summary>
    /// 24 days, for calls that wait as long as their client asks: a JoinGroup until its rebalance completes (at most the
    /// group's rebalance timeout, the members' <c>max.poll.interval.ms</c>: 5 min by default, up to a day in librdkafka,
    /// any Int32 of milliseconds in Java's client), a SyncGroup until the leader's assignment (as long again), a Fetch up
    /// to its <c>max.wait.ms</c>, a REST consumer's poll up to its <c>timeout</c>. The callee ends each wait at its own
    /// deadline and callers cancel theirs when their client goes, so this only keeps Orleans from giving up first. It is
    /// the longest Orleans can carry: a message's time to live travels as Int32 milliseconds (24.8 days).
    /// </summary>
    public const string ClientBoundedWait = "24.00:00:00";

    /// <summary>
    /// Two minutes, for a transaction coordinator's calls: ending a transaction writes a marker to every partition (each
    /// write a call of its own, with the default timeout) and completes the groups' offsets before it answers, and the
    /// coordinator's other calls wait their turn behind it.
    /// </summary>
    public const string TransactionCompletion = "00:02:00";
}

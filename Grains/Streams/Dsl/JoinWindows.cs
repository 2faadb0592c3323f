namespace Tributary.Grains.Streams.Dsl;

/// <summary>
/// How far apart in time two records of a stream-stream join may be (Kafka's <c>JoinWindows</c>): a record of this
/// stream at t joins the other stream's records from t - before to t + after; records are taken until stream time
/// passes their window by the grace period.
/// </summary>
public sealed record JoinWindows
{
    private JoinWindows(long beforeMs, long afterMs, long graceMs)
    {
        BeforeMs = beforeMs;
        AfterMs = afterMs;
        GraceMs = graceMs;
    }

    public long BeforeMs { get; }

    public long AfterMs { get; }

    public long GraceMs { get; }

    public long SizeMs => BeforeMs + AfterMs;

    public static JoinWindows OfTimeDifferenceWithNoGrace(TimeSpan difference) => OfTimeDifferenceAndGrace(difference, TimeSpan.Zero);

    public static JoinWindows OfTimeDifferenceAndGrace(TimeSpan difference, TimeSpan grace)
    {
        var differenceMs = (long)difference.TotalMilliseconds;
        var graceMs = (long)grace.TotalMilliseconds;
        if (differenceMs < 0 || graceMs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(difference), "The time difference and the grace period must not be negative.");
        }

        return new JoinWindows(differenceMs, differenceMs, graceMs);
    }

    /// <summary>How long before a record of this stream the other's records may be.</summary>
    public JoinWindows Before(TimeSpan before) => new((long)before.TotalMilliseconds, AfterMs, GraceMs);

    /// <summary>How long after a record of this stream the other's records may be.</summary>
    public JoinWindows After(TimeSpan after) => new(BeforeMs, (long)after.TotalMilliseconds, GraceMs);
}

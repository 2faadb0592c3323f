namespace Tributary.Grains.Streams.Dsl;

/// <summary>
/// Fixed-size windows (Kafka's <c>TimeWindows</c>): tumbling when they advance by their size, hopping when by less.
/// A window is aligned to the epoch, covers [start, start + size), and accepts records until stream time passes its
/// end by the grace period.
/// </summary>
public sealed record TimeWindows
{
    private TimeWindows(long sizeMs, long advanceMs, long graceMs)
    {
        SizeMs = sizeMs;
        AdvanceMs = advanceMs;
        GraceMs = graceMs;
    }

    public long SizeMs { get; }

    public long AdvanceMs { get; }

    public long GraceMs { get; }

    public static TimeWindows OfSizeWithNoGrace(TimeSpan size) => OfSizeAndGrace(size, TimeSpan.Zero);

    public static TimeWindows OfSizeAndGrace(TimeSpan size, TimeSpan grace)
    {
        var sizeMs = (long)size.TotalMilliseconds;
        var graceMs = (long)grace.TotalMilliseconds;
        if (sizeMs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), "Window size (sizeMs) must be larger than zero.");
        }

        if (graceMs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(grace), "Grace period must not be negative.");
        }

        return new TimeWindows(sizeMs, sizeMs, graceMs);
    }

    /// <summary>Hopping windows that start every <paramref name="advance"/> (at most the size).</summary>
    public TimeWindows AdvanceBy(TimeSpan advance)
    {
        var advanceMs = (long)advance.TotalMilliseconds;
        if (advanceMs <= 0 || advanceMs > SizeMs)
        {
            throw new ArgumentOutOfRangeException(
                nameof(advance), $"Window advancement interval should be more than zero and less than window duration which is {SizeMs} ms, but given advancement interval is: {advanceMs} ms");
        }

        return new TimeWindows(SizeMs, advanceMs, GraceMs);
    }

    /// <summary>The windows a record at <paramref name="timestamp"/> falls in, earliest first.</summary>
    public IEnumerable<Window> WindowsFor(long timestamp)
    {
        var start = Math.Max(0, timestamp - SizeMs + AdvanceMs) / AdvanceMs * AdvanceMs;
        for (; start <= timestamp; start += AdvanceMs)
        {
            yield return new Window(start, start + SizeMs);
        }
    }
}

/// <summary>
/// Windows of activity per key (Kafka's <c>SessionWindows</c>): records of a key less than the inactivity gap apart
/// share a session, whose start and end are its first and last record's times.
/// </summary>
public sealed record SessionWindows
{
    private SessionWindows(long gapMs, long graceMs)
    {
        InactivityGapMs = gapMs;
        GraceMs = graceMs;
    }

    public long InactivityGapMs { get; }

    public long GraceMs { get; }

    public static SessionWindows OfInactivityGapWithNoGrace(TimeSpan gap) => OfInactivityGapAndGrace(gap, TimeSpan.Zero);

    public static SessionWindows OfInactivityGapAndGrace(TimeSpan gap, TimeSpan grace)
    {
        var gapMs = (long)gap.TotalMilliseconds;
        var graceMs = (long)grace.TotalMilliseconds;
        if (gapMs <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(gap), "Gap time cannot be zero or negative.");
        }

        if (graceMs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(grace), "Grace period must not be negative.");
        }

        return new SessionWindows(gapMs, graceMs);
    }
}

/// <summary>
/// Windows that slide with the records (Kafka's <c>SlidingWindows</c>): per key, a window of
/// <see cref="TimeDifferenceMs"/> ends at each record (its "left" window) and one starts just after it (its "right"
/// window) when later records fall there, so every distinct set of records within the time difference of each other
/// has exactly one window; both ends are included. A window accepts records until stream time passes its end by the
/// grace period.
/// </summary>
public sealed record SlidingWindows
{
    private SlidingWindows(long timeDifferenceMs, long graceMs)
    {
        TimeDifferenceMs = timeDifferenceMs;
        GraceMs = graceMs;
    }

    /// <summary>The largest time between two records of one window.</summary>
    public long TimeDifferenceMs { get; }

    public long GraceMs { get; }

    public static SlidingWindows OfTimeDifferenceWithNoGrace(TimeSpan timeDifference) => OfTimeDifferenceAndGrace(timeDifference, TimeSpan.Zero);

    public static SlidingWindows OfTimeDifferenceAndGrace(TimeSpan timeDifference, TimeSpan afterWindowEnd)
    {
        var differenceMs = (long)timeDifference.TotalMilliseconds;
        var graceMs = (long)afterWindowEnd.TotalMilliseconds;
        if (differenceMs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(timeDifference), "Window time difference must not be negative.");
        }

        if (graceMs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(afterWindowEnd), "Window grace period must not be negative.");
        }

        return new SlidingWindows(differenceMs, graceMs);
    }
}

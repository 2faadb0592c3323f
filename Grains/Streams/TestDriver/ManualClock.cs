namespace Tributary.Grains.Streams.TestDriver;

/// <summary>A wall clock that moves only when told to.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan advance) => _now += advance;
}

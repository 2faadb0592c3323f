using Tributary.Grains.Connect.Jdbc.Source;

namespace Tributary.Tests.Connect.Jdbc.Source;

/// <summary>The source offsets every record carries, as the maps Connect stores and a restarted task reads back.</summary>
public sealed class SourceOffsetMapTests
{
    [Fact]
    public void AnIncrementingOffset_IsAMapOfItsOneEntry()
    {
        var map = new SourceOffset(42, null).ToMap();

        Assert.Equal([new KeyValuePair<string, object?>("incrementing", 42L)], map.ToList());
        Assert.Equal(["incrementing"], map.Keys);
        Assert.Equal([42L], map.Values);
        Assert.Equal(42L, map["incrementing"]);
        Assert.True(map.ContainsKey("incrementing"));
        Assert.False(map.ContainsKey("timestamp"));
        Assert.False(map.TryGetValue("Incrementing", out _));
        Assert.Throws<KeyNotFoundException>(() => map["timestamp"]);
        Assert.Equal(new SourceOffset(42, null), SourceOffset.FromMap(map));
    }

    [Fact]
    public void ATimestampOffset_KeepsItsMillisecondsAndNanos()
    {
        var at = new DateTime(2026, 12, 6, 10, 0, 0, DateTimeKind.Utc).AddTicks(1_234_567);

        var map = new SourceOffset(7, at).ToMap();

        Assert.Equal(7L, map["incrementing"]);
        Assert.Equal(new SourceOffset(7, at), SourceOffset.FromMap(map));
    }
}

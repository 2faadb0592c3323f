namespace Tributary.Grains.Streams.Dsl;

/// <summary>
/// A window of time: from <see cref="StartMs"/> included to <see cref="EndMs"/>, excluded for time windows and
/// included for sessions (Kafka's <c>TimeWindow</c> and <c>SessionWindow</c>).
/// </summary>
public sealed record Window(long StartMs, long EndMs);

/// <summary>A key within a window: the key of a windowed aggregate (Kafka's <c>Windowed</c>).</summary>
public sealed record Windowed<TKey>(TKey Key, Window Window)
{
    public override string ToString() => $"[{Key}@{Window.StartMs}/{Window.EndMs}]";
}

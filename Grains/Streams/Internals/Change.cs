namespace Tributary.Grains.Streams.Internals;

/// <summary>
/// What flows between the processors of a table: the key's new value and the value it replaced (Kafka's
/// <c>Change</c>); a null new value deletes the key.
/// </summary>
internal sealed record Change(object? NewValue, object? OldValue);

namespace Tributary.Gateway.Kafka;

/// <summary>A request frame as read from its connection, and when its last byte was read (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
internal readonly record struct ReceivedFrame(ReadOnlyMemory<byte> Bytes, long ReceivedAt);

namespace Tributary.Grains.Interfaces.Partitions;

/// <summary>
/// Produce's answer for one partition: the first offset assigned, or an error, with the records at fault when the
/// partition names them (Produce v8's <c>RecordErrors</c>: a compacted topic's records without a key).
/// </summary>
[GenerateSerializer, Immutable, Alias("Tributary.Partitions.AppendResult")]
public sealed record AppendResult(
    [property: Id(0)] ErrorCode Error,
    [property: Id(1)] string? ErrorMessage,
    [property: Id(2)] long BaseOffset,
    [property: Id(3)] long LogAppendTime,
    [property: Id(4)] long LogStartOffset,
    [property: Id(5)] IReadOnlyList<AppendRecordError>? RecordErrors = null);

/// <summary>One record that made its batch invalid: its index in the batch, and why.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Partitions.AppendRecordError")]
public sealed record AppendRecordError(
    [property: Id(0)] int BatchIndex,
    [property: Id(1)] string Message);

using Orleans;

namespace Tributary.Grains.KafkaFormats.Groups;

/// <summary>SyncGroup as the group coordinator takes it: the leader sends every member's assignment, the others none.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Groups.GroupSyncRequest")]
public sealed record GroupSyncRequest(
    [property: Id(0)] string MemberId,
    [property: Id(1)] string? GroupInstanceId,
    [property: Id(2)] int GenerationId,
    [property: Id(3)] string? ProtocolType,
    [property: Id(4)] string? ProtocolName,
    [property: Id(5)] IReadOnlyDictionary<string, byte[]> Assignments);

/// <summary>The answer to a SyncGroup: the member's own assignment.</summary>
[GenerateSerializer, Immutable, Alias("Tributary.Groups.GroupSyncResult")]
public sealed record GroupSyncResult(
    [property: Id(0)] ErrorCode Error,
    [property: Id(1)] string? ProtocolType,
    [property: Id(2)] string? ProtocolName,
    [property: Id(3)] byte[] Assignment)
{
    public static GroupSyncResult Failed(ErrorCode error) => new(error, null, null, []);
}

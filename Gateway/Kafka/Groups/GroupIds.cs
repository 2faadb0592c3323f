namespace Tributary.Gateway.Kafka.Groups;

/// <summary>Kafka refuses group requests without a group id with INVALID_GROUP_ID.</summary>
internal static class GroupIds
{
    public static bool IsValid(string? groupId) => !string.IsNullOrEmpty(groupId);
}

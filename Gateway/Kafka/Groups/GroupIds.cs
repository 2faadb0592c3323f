namespace Tributary.Gateway.Kafka.Groups;

/// <summary>
/// Kafka refuses group requests without a group id with INVALID_GROUP_ID. A group id of only white space is refused
/// the same way here, where Kafka would accept it: it names the group's grain, and an Orleans grain's key cannot be blank.
/// </summary>
internal static class GroupIds
{
    public static bool IsValid(string? groupId) => !string.IsNullOrWhiteSpace(groupId);
}

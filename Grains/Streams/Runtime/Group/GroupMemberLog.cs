using Microsoft.Extensions.Logging;

namespace Tributary.Grains.Streams.Runtime.Group;

internal static partial class GroupMemberLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Group member {Client} joined group {Group} in generation {Generation} as {MemberId} (leader: {Leader}, protocol {Protocol})")]
    public static partial void Joined(ILogger logger, string client, string group, int generation, string memberId, bool leader, string protocol);

    [LoggerMessage(Level = LogLevel.Information, Message = "Group member {Client} of group {Group} must rejoin: {Reason}")]
    public static partial void RejoinNeeded(ILogger logger, string client, string group, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Group member {Client} of group {Group} looks for its coordinator again: {Reason}")]
    public static partial void CoordinatorLost(ILogger logger, string client, string group, string reason);
}

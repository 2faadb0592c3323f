using Microsoft.Extensions.Logging;

namespace Tributary.Grains.Connect.Runtime.Tasks;

/// <summary>The task runners' log lines for failures they ride out (a silo or partition leader gone for a while).</summary>
internal static partial class TaskRunnerLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{What} failed and is retried; the task keeps running: {Reason}")]
    public static partial void Retrying(ILogger logger, string what, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Committing offsets failed; they are committed again at the next flush: {Reason}")]
    public static partial void CommitFailed(ILogger logger, string reason);
}

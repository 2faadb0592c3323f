using Microsoft.Extensions.Logging;

namespace Tributary.Grains.Streams.Runtime;

internal static partial class StreamsRuntimeLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Stream thread {Thread} failed")]
    public static partial void ThreadFailed(ILogger logger, string thread, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream thread {Thread} created task {Task}")]
    public static partial void TaskCreated(ILogger logger, string thread, string task);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream thread {Thread} could not abort its transaction: {Reason}")]
    public static partial void AbortFailed(ILogger logger, string thread, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream thread {Thread} commits its offsets later: {Reason}")]
    public static partial void CommitDeferred(ILogger logger, string thread, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream thread {Thread} closes tasks whose last offsets the group would not take: their next owner processes those records again")]
    public static partial void CommitAbandoned(ILogger logger, string thread);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream thread {Thread} aborted its transaction and restarts its tasks from their last commit: {Reason}")]
    public static partial void TransactionAborted(ILogger logger, string thread, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream thread {Thread} could not leave its group cleanly: {Reason}")]
    public static partial void CloseFailed(ILogger logger, string thread, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream application {ApplicationId} moved from {From} to {To}")]
    public static partial void StateChanged(ILogger logger, string applicationId, KafkaStreamsState from, KafkaStreamsState to);

    [LoggerMessage(
        Level = LogLevel.Warning,
        Message = "Stream thread {Thread} discards the checkpoint of store {Store} of task {Task}: offset {Offset} is outside its changelog ({Low} to {High}); the store is rebuilt")]
    public static partial void CheckpointDiscarded(ILogger logger, string thread, string store, string task, long offset, long low, long high);

    [LoggerMessage(Level = LogLevel.Information, Message = "Standby updater {Updater} keeps a standby of task {Task}")]
    public static partial void StandbyCreated(ILogger logger, string updater, string task);

    [LoggerMessage(Level = LogLevel.Information, Message = "Standby updater {Updater} closed its standby of task {Task}")]
    public static partial void StandbyClosed(ILogger logger, string updater, string task);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Standby updater {Updater} could not read the group's members: {Reason}")]
    public static partial void StandbyPlacementFailed(ILogger logger, string updater, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Standby updater {Updater} could not read its changelogs now: {Reason}")]
    public static partial void StandbyReadFailed(ILogger logger, string updater, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Standby updater {Updater} failed; the instance keeps no standbys")]
    public static partial void StandbyFailed(ILogger logger, string updater, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stream thread {Thread} could not read the changelogs' end offsets; every instance counts as caught up: {Reason}")]
    public static partial void ChangelogEndsUnknown(ILogger logger, string thread, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stream thread {Thread} led the assignment of {Members} threads ({Withheld} tasks wait for their owners to let go; probing rebalance: {Probing})")]
    public static partial void Assigned(ILogger logger, string thread, int members, int withheld, bool probing);
}

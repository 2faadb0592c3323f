using Microsoft.Extensions.Logging;

namespace Tributary.Grains.Actors.Connect;

/// <summary>The connector grain's log lines.</summary>
internal static partial class ConnectorLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Connector {Connector} failed")]
    public static partial void ConnectorFailed(ILogger logger, Exception exception, string connector);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connector {Connector} failed to stop")]
    public static partial void ConnectorStopFailed(ILogger logger, Exception exception, string connector);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {Task} of connector {Connector} could not be reached; it is tried again in the next round")]
    public static partial void TaskUnreachable(ILogger logger, Exception exception, string connector, int task);
}

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Tributary.Gateway.Connect;

/// <summary>
/// Connect's REST log, under the same category as the port's own failures: requests refused for the client's fault,
/// failures the grains answered, and logger levels changed through <c>/admin/loggers</c> (at warning, so they show).
/// </summary>
internal sealed partial class ConnectLog(ILoggerFactory loggers)
{
    public const string Category = "Tributary.Gateway.Connect";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    public void Answered(HttpRequest request, int status, string message)
    {
        if (status >= StatusCodes.Status500InternalServerError)
        {
            LogFailed(_logger, request.Method, request.Path, status, message);
        }
        else
        {
            LogRejected(_logger, request.Method, request.Path, status, message);
        }
    }

    public void LevelSet(string loggerName, string level, int affected) => LogLevelSet(_logger, loggerName, level, affected);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Connect {Method} {Path} answered {Status}: {Message}")]
    private static partial void LogRejected(ILogger logger, string method, string path, int status, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connect {Method} {Path} failed with {Status}: {Message}")]
    private static partial void LogFailed(ILogger logger, string method, string path, int status, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Set the log level of {LoggerName} and its {Affected} children to {Level}")]
    private static partial void LogLevelSet(ILogger logger, string loggerName, string level, int affected);
}

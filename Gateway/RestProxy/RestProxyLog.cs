using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Tributary.Gateway.RestProxy;

/// <summary>
/// The REST Proxy's log, under the same category as the port's own failures: requests refused for the client's
/// fault, and streams held back because their client does not read.
/// </summary>
internal sealed partial class RestProxyLog(ILoggerFactory loggers)
{
    public const string Category = "Tributary.Gateway.RestProxy";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    public void Rejected(HttpRequest request, int errorCode, string? message) =>
        LogRejected(_logger, request.Method, request.Path, errorCode, message);

    public void StreamWaitsForClient(HttpRequest request, int reports) =>
        LogStreamWaitsForClient(_logger, request.Method, request.Path, reports);

    [LoggerMessage(Level = LogLevel.Information, Message = "REST proxy {Method} {Path} answered {ErrorCode}: {Message}")]
    private static partial void LogRejected(ILogger logger, string method, string path, int errorCode, string? message);

    [LoggerMessage(Level = LogLevel.Debug, EventName = "StreamWaitsForClient",
        Message = "REST proxy {Method} {Path}: {Reports} delivery reports wait for the client to read them; no more records are read until it does")]
    private static partial void LogStreamWaitsForClient(ILogger logger, string method, string path, int reports);
}

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Tributary.Grains.KafkaFormats.SchemaRegistry;

namespace Tributary.Gateway.SchemaRegistry;

/// <summary>The log line for a request the registry refused with one of Confluent's error codes (the client's mistake, at Information).</summary>
internal sealed partial class RegistryRejections(ILoggerFactory loggers)
{
    private readonly ILogger _logger = loggers.CreateLogger("Tributary.Gateway.SchemaRegistry");

    public ILogger Logger => _logger;

    public void IfRejected(HttpRequest request, int code, string? message)
    {
        if (code != RegistryErrors.None)
        {
            LogRejected(_logger, request.Method, request.Path, code, message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Schema registry {Method} {Path} answered {ErrorCode}: {Message}")]
    private static partial void LogRejected(ILogger logger, string method, string path, int errorCode, string? message);
}

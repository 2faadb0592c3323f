using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tributary.Gateway.Http;

/// <summary>
/// One of Confluent's HTTP APIs on a port of its own: a branch of the pipeline taken only by connections to that port
/// (so each API has its own root and paths), with Confluent's error envelope for every error the pipeline sees: unknown
/// paths and methods (the HTTP status as the code), URLs over <see cref="MaxUrlBytes"/>, bodies Kestrel cannot read
/// (a bad chunk, one over its size limit) and failures that are not the client's, and its own bound on a request's
/// body (Kestrel's MaxRequestBodySize, set for each request of the port; a larger body is answered 413 in the envelope).
/// <para>What Kestrel refuses before any middleware runs is answered by Kestrel alone, with its status and an empty
/// body, and ASP.NET offers no hook to add one: a malformed request line or header, a missing Host, a path whose
/// escapes decode to a NUL (<c>%00</c>), a request line over <see cref="MaxRequestLineBytes"/>, headers over Kestrel's
/// limits. Confluent's Jetty answers those with its own error page, not with this envelope either.</para>
/// </summary>
public static partial class PortApi
{
    /// <summary>
    /// The longest request target (path and query) served: Confluent's default request header limit
    /// (<c>max.request.header.size</c>, 8 KiB). A longer one gets 414 with the envelope.
    /// </summary>
    public const int MaxUrlBytes = 8 * 1024;

    /// <summary>
    /// The request line Kestrel should accept (its <c>MaxRequestLineSize</c>; its own default is 8 KiB), above
    /// <see cref="MaxUrlBytes"/> so that an over-long URL reaches the pipeline and gets its 414 with the envelope; a line
    /// longer than this Kestrel refuses itself, without a body.
    /// </summary>
    public const int MaxRequestLineBytes = 64 * 1024;

    private static readonly JsonSerializerOptions EnvelopeOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The API on <paramref name="port"/>: its limits, its error envelope, its <paramref name="authentication"/> if it
    /// has one, then <paramref name="beforeRouting"/> (a rewrite of paths, say), then the routes <paramref name="map"/> adds.
    /// Its requests are measured as <paramref name="service"/> (the <c>service</c> tag of ASP.NET Core's request metrics).
    /// </summary>
    public static IApplicationBuilder MapPortApi(
        this IApplicationBuilder app,
        int port,
        string service,
        PortApiErrors errors,
        long maxRequestBodyBytes,
        Action<RouteGroupBuilder, ILogger> map,
        Action<IApplicationBuilder>? beforeRouting = null,
        Authentication.HttpAuthenticator? authentication = null) =>
        app.MapWhen(context => context.Connection.LocalPort == port, branch =>
        {
            var logger = branch.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(errors.LoggerCategory);
            var serviceTag = new KeyValuePair<string, object?>("service", service);
            branch.Use((context, next) =>
            {
                context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(serviceTag);
                return next(context);
            });
            branch.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = context => AnswerFailureAsync(context, errors, logger) });
            branch.Use((context, next) =>
            {
                // An endpoint may lift it for itself (a stream of records), before it reads the body.
                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
                {
                    limit.MaxRequestBodySize = maxRequestBodyBytes;
                }

                return next(context);
            });
            branch.UseStatusCodePages(context =>
            {
                var status = context.HttpContext.Response.StatusCode;
                return WriteErrorAsync(context.HttpContext, errors.ContentType, status,
                    $"HTTP {status} {Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status)}");
            });
            branch.Use((context, next) => IsOverLong(context)
                ? WriteErrorAsync(context, errors.ContentType, StatusCodes.Status414UriTooLong, "URI Too Long")
                : next(context));
            if (authentication is not null)
            {
                branch.Use((context, next) => authentication.InvokeAsync(context, next, errors.ContentType));
            }

            beforeRouting?.Invoke(branch);
            branch.UseRouting();
            branch.UseEndpoints(endpoints => map(endpoints.MapGroup(""), logger));
        });

    /// <summary>Confluent's envelope; the HTTP status is the code's first three digits.</summary>
    public static Task WriteErrorAsync(HttpContext context, string contentType, int code, string message)
    {
        context.Response.StatusCode = code >= 1000 ? code / 100 : code;
        context.Response.ContentType = contentType;
        return context.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(new ErrorEnvelope(code, message), EnvelopeOptions)).AsTask();
    }

    private static bool IsOverLong(HttpContext context) =>
        context.Features.Get<IHttpRequestFeature>() is { } request
            ? request.RawTarget.Length > MaxUrlBytes
            : context.Request.Path.Value?.Length + context.Request.QueryString.Value?.Length > MaxUrlBytes;

    private static Task AnswerFailureAsync(HttpContext context, PortApiErrors errors, ILogger logger)
    {
        var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (error is BadHttpRequestException bad)
        {
            return WriteErrorAsync(context, errors.ContentType, bad.StatusCode, bad.Message);
        }

        LogFailure(logger, context.Request.Method, context.Request.Path, error);
        return error is TimeoutException
            ? WriteErrorAsync(context, errors.ContentType, errors.TimeoutCode, "Operation timed out")
            : WriteErrorAsync(context, errors.ContentType, errors.FailureCode, errors.FailureMessage);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogFailure(ILogger logger, string method, string path, Exception? error);
}

/// <summary>How an API answers what is not the client's fault: its content type and Confluent's codes.</summary>
public sealed record PortApiErrors(string LoggerCategory, string ContentType, int FailureCode, string FailureMessage, int TimeoutCode);

/// <summary>Confluent's error body, shared by the Schema Registry, the REST Proxy and Connect.</summary>
public sealed record ErrorEnvelope(
    [property: JsonPropertyName("error_code")] int ErrorCode,
    [property: JsonPropertyName("message")] string Message);

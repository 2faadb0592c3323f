using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tributary.Gateway.Http;

namespace Tributary.Gateway.RestProxy;

/// <summary>What the REST Proxy's endpoints share: JSON options, content types and Confluent's error envelope.</summary>
internal static class RestHttp
{
    public const string V2 = "application/vnd.kafka.v2+json";

    /// <summary>Responses keep nulls: Confluent's v2 answers spell out <c>"error_code": null</c>.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IResult Json<T>(T body, string contentType = V2, int status = StatusCodes.Status200OK) =>
        Results.Json(body, Options, contentType, status);

    public static IResult Error(int code, string message, string contentType = V2) =>
        Json(new ErrorEnvelope(code, message), contentType, code >= 1000 ? code / 100 : code);

    /// <summary>The request's media type without parameters, lower-case; null when it has none.</summary>
    public static string? MediaType(HttpRequest request) => request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();

    /// <summary>The body as <typeparamref name="T"/>, or 422/400 for a body that is not (Confluent's rest-utils).</summary>
    public static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpRequest request, string errorContentType = V2)
        where T : class
    {
        try
        {
            var depth = request.HttpContext.RequestServices.GetRequiredService<IOptions<RestProxyLimits>>().Value.MaxJsonDepth;
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, JsonBodies.WithMaxDepth(Options, depth));
            return body is null ? (null, Error(RestErrors.InvalidPayload, "Request body is empty", errorContentType)) : (body, null);
        }
        catch (JsonException e)
        {
            return (null, Error(StatusCodes.Status400BadRequest, $"Invalid JSON: {e.Message}", errorContentType));
        }
    }
}

using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Tributary.Gateway.Http;
using Tributary.Grains.Interfaces.Connect;

namespace Tributary.Gateway.Connect;

/// <summary>
/// What Connect's endpoints share: its JSON (Kafka's snake_case names, as Jackson writes Connect's entities), its error
/// body <c>{"error_code": status, "message"}</c>, grain results as answers, and reading a request body.
/// </summary>
internal static class ConnectHttp
{
    public const string ContentType = "application/json";

    /// <summary>
    /// Kafka's names are the snake_case of ours (<c>error_count</c>, <c>worker_id</c>, <c>order_in_group</c>), so the
    /// grains' records are written as they are; nulls are written, as Jackson writes <c>"definition": null</c>.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IResult Json<T>(T body, int status = StatusCodes.Status200OK) => Results.Json(body, Options, ContentType, status);

    public static IResult Error(int status, string message) => Json(new ErrorEnvelope(status, message), status);

    /// <summary>The grain's value as <paramref name="ok"/> makes it, or its status with its message.</summary>
    public static IResult From<T>(ConnectResult<T> result, Func<T, IResult> ok) =>
        result.IsSuccess ? ok(result.Value!) : Error(result.Status, result.Message ?? ReasonPhrases.GetReasonPhrase(result.Status));

    /// <summary>A grain's answer to a call that returns nothing: <paramref name="status"/> and no body, or its error.</summary>
    public static IResult Status<T>(ConnectResult<T> result, int status) => From(result, _ => Results.StatusCode(status));

    /// <summary>
    /// The request body as JSON, or 400 with the parser's message: Kafka answers some malformed bodies 500 (Jackson's
    /// errors that Jersey does not map), a client's mistake all the same.
    /// </summary>
    public static async Task<(JsonElement Body, IResult? Error)> ReadAsync(HttpRequest request)
    {
        var depth = request.HttpContext.RequestServices.GetRequiredService<IOptions<ConnectOptions>>().Value.MaxJsonDepth;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = depth }, request.HttpContext.RequestAborted);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (default, Error(StatusCodes.Status400BadRequest, $"Invalid JSON in the request body: {e.Message}"));
        }
    }

    /// <summary>Jersey's reading of a boolean query parameter: <c>true</c> in any case is true, anything else false, absent the default.</summary>
    public static bool Flag(HttpRequest request, string name, bool absent) =>
        request.Query.TryGetValue(name, out var values) ? string.Equals(values[0], "true", StringComparison.OrdinalIgnoreCase) : absent;

    /// <summary>Logs each error answer, whichever endpoint made it.</summary>
    public static async ValueTask<object?> LogErrorsAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        if (result is JsonHttpResult<ErrorEnvelope> { Value: { } error })
        {
            context.HttpContext.RequestServices.GetRequiredService<ConnectLog>().Answered(context.HttpContext.Request, error.ErrorCode, error.Message);
        }

        return result;
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Tributary.Gateway.RestProxy.V3;

/// <summary>What API v3's endpoints share: plain JSON, and Confluent's error envelope in it.</summary>
internal static class V3Http
{
    public const string ContentType = "application/json";

    public static IResult Json(JsonNode body, int status = StatusCodes.Status200OK) =>
        Results.Text(body.ToJsonString(RestHttp.Options), ContentType, Encoding.UTF8, status);

    public static IResult Error(int code, string message) => RestHttp.Error(code, message, ContentType);

    public static IResult TopicNotFound() => Error(StatusCodes.Status404NotFound, "This server does not host this topic-partition.");
}

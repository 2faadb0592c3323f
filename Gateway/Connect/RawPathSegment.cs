using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Tributary.Gateway.Connect;

/// <summary>
/// A path segment as the client sent it, decoded once. Kestrel decodes the path except <c>%2F</c> (so that an encoded
/// slash does not split a segment), and routing hands that on: a connector named <c>a/b</c>, which Kafka allows, would
/// arrive as <c>a%2Fb</c>, and one named <c>a%2Fb</c> would arrive the same. Reading the raw target tells them apart.
/// </summary>
internal static class RawPathSegment
{
    /// <summary>
    /// The segment at <paramref name="index"/> (0 is the one after the leading slash) of the raw target; the route
    /// value <paramref name="routeKey"/> when the raw target is not the path routing matched segment for segment (an
    /// absolute-form target, dot segments Kestrel removed).
    /// </summary>
    public static string Read(HttpContext context, int index, string routeKey)
    {
        var routed = context.GetRouteValue(routeKey) as string ?? "";
        if (context.Features.Get<IHttpRequestFeature>()?.RawTarget is not { } raw || !raw.StartsWith('/'))
        {
            return routed;
        }

        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var segments = (query < 0 ? raw : raw[..query]).Split('/');
        var routedSegments = (context.Request.Path.Value ?? "").Split('/');
        if (segments.Length != routedSegments.Length || index + 1 >= segments.Length || segments.Any(IsDotSegment))
        {
            return routed;
        }

        return Uri.UnescapeDataString(segments[index + 1]);
    }

    private static bool IsDotSegment(string segment) =>
        Uri.UnescapeDataString(segment) is "." or "..";
}

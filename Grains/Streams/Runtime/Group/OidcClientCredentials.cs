using System.Net.Http.Headers;
using System.Text.Json;

namespace Tributary.Grains.Streams.Runtime.Group;

/// <summary>
/// SASL/OAUTHBEARER tokens as librdkafka gets them with <c>sasl.oauthbearer.method=oidc</c>: the OAuth 2 client
/// credentials grant at <c>sasl.oauthbearer.token.endpoint.url</c>, the client authenticated with HTTP Basic
/// (<c>sasl.oauthbearer.client.id</c>, <c>sasl.oauthbearer.client.secret</c>), <c>sasl.oauthbearer.scope</c> when
/// set; <c>sasl.oauthbearer.extensions</c> (<c>key=value</c> pairs separated by commas) go with the token (RFC
/// 7628). A token is fetched for each connection, so a connection made after the last one expired carries a fresh one.
/// </summary>
internal sealed record OidcClientCredentials(Uri TokenEndpoint, string ClientId, string ClientSecret, string? Scope, IReadOnlyList<(string Key, string Value)> Extensions)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static OidcClientCredentials From(IReadOnlyDictionary<string, string> config)
    {
        if (!string.Equals(config.GetValueOrDefault("sasl.oauthbearer.method"), "oidc", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                "With sasl.mechanism OAUTHBEARER the stream group member gets its tokens as sasl.oauthbearer.method=oidc does; set it, with sasl.oauthbearer.token.endpoint.url");
        }

        string Required(string name) => config.GetValueOrDefault(name) is { Length: > 0 } value ? value : throw new ArgumentException($"sasl.oauthbearer.method=oidc needs {name}");
        var endpoint = Uri.TryCreate(Required("sasl.oauthbearer.token.endpoint.url"), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ArgumentException("sasl.oauthbearer.token.endpoint.url must be an http or https URL");
        var extensions = (config.GetValueOrDefault("sasl.oauthbearer.extensions") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2) is [var key, var value] && key.Length > 0
                ? (key, value)
                : throw new ArgumentException($"sasl.oauthbearer.extensions holds '{pair}', not key=value"))
            .ToList();
        return new OidcClientCredentials(
            endpoint, Required("sasl.oauthbearer.client.id"), Required("sasl.oauthbearer.client.secret"), config.GetValueOrDefault("sasl.oauthbearer.scope"), extensions);
    }

    /// <summary>A token from the endpoint; <see cref="IOException"/> when none is given.</summary>
    public async Task<string> TokenAsync(CancellationToken cancellation)
    {
        using var http = new HttpClient { Timeout = Timeout };
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (Scope is { Length: > 0 } scope)
        {
            form.Add(new("scope", scope));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, TokenEndpoint) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(ClientId)}:{Uri.EscapeDataString(ClientSecret)}")));
        try
        {
            using var response = await http.SendAsync(request, cancellation);
            var body = await response.Content.ReadAsStringAsync(cancellation);
            if (!response.IsSuccessStatusCode)
            {
                throw new IOException($"The token endpoint {TokenEndpoint} answered {(int)response.StatusCode}: {body}");
            }

            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("access_token", out var token) && token.GetString() is { Length: > 0 } value
                ? value
                : throw new IOException($"The token endpoint {TokenEndpoint} gave no access_token");
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            throw new IOException($"No token from {TokenEndpoint}: {e.Message}", e);
        }
    }

    /// <summary>RFC 7628's initial client response: the token and the extensions.</summary>
    public byte[] InitialResponse(string token) =>
        System.Text.Encoding.UTF8.GetBytes($"n,,\u0001auth=Bearer {token}\u0001{string.Concat(Extensions.Select(e => $"{e.Key}={e.Value}\u0001"))}\u0001");
}

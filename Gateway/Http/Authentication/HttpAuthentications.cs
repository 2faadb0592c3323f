namespace Tributary.Gateway.Http.Authentication;

/// <summary>The authentication of each HTTP API that has one, by the API's name (its configuration section's).</summary>
public sealed class HttpAuthentications(IReadOnlyDictionary<string, HttpAuthenticator> byApi)
{
    public const string SchemaRegistry = "SchemaRegistry";
    public const string RestProxy = "RestProxy";
    public const string Connect = "Connect";

    /// <summary>The API's authentication, or null when its requests need none.</summary>
    public HttpAuthenticator? For(string api) => byApi.GetValueOrDefault(api);
}

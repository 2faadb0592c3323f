namespace Tributary.Gateway.Kafka.Security;

/// <summary>
/// How SASL/OAUTHBEARER tokens are checked (<c>Tributary:Kafka:Sasl:OAuthBearer</c>), under the names of Kafka's
/// JWT validator (KIP-768, <c>sasl.oauthbearer.*</c>): signed JWTs whose keys a JWKS endpoint publishes.
/// </summary>
public sealed class OAuthBearerOptions
{
    /// <summary><c>sasl.oauthbearer.jwks.endpoint.url</c>: where the signing keys are read (https, or a file: URL).</summary>
    public string? JwksEndpointUrl { get; set; }

    /// <summary><c>sasl.oauthbearer.jwks.endpoint.refresh.ms</c>: how often the keys are read again. Default one hour.</summary>
    public long JwksEndpointRefreshMs { get; set; } = 3_600_000;

    /// <summary><c>sasl.oauthbearer.clock.skew.seconds</c>: the leeway on a token's times. Default 30.</summary>
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary><c>sasl.oauthbearer.expected.audience</c>: comma-separated; when set, a token must name one of them.</summary>
    public string? ExpectedAudience { get; set; }

    /// <summary><c>sasl.oauthbearer.expected.issuer</c>: when set, a token's issuer must be this one.</summary>
    public string? ExpectedIssuer { get; set; }

    /// <summary><c>sasl.oauthbearer.sub.claim.name</c>: the claim that names the principal. Default <c>sub</c>.</summary>
    public string SubClaimName { get; set; } = "sub";

    /// <summary>The audiences, as listed.</summary>
    public IReadOnlyList<string> Audiences() =>
        (ExpectedAudience ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}

using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tributary.Gateway.Http.Authentication;

namespace Tributary.Gateway.Kafka.Security;

/// <summary>
/// JWTs checked as Kafka's JWT validator (KIP-768) checks them, under <see cref="OAuthBearerOptions"/>: an asymmetric
/// signature by a key of the JWKS endpoint; <c>exp</c> and <c>iat</c> present, and the token unexpired; the expected
/// issuer; an expected audience (and no audience at all when none is expected); a subject in the subject claim, which
/// names the principal. Used by SASL/OAUTHBEARER on the Kafka listeners, and for bearer tokens on the HTTP APIs, so
/// that one token serves every port. Thread-safe.
/// </summary>
public sealed class JwtValidator(OAuthBearerOptions options, JwksKeys keys, TimeProvider time) : IBearerTokens
{
    /// <summary>The signature algorithms Kafka's validator takes: asymmetric ones alone.</summary>
    private static readonly string[] Algorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    private static readonly JsonWebTokenHandler Tokens = new();

    async ValueTask<(string? Principal, string Why)> IBearerTokens.AuthenticateAsync(string token)
    {
        var (principal, _, why) = await ValidateAsync(token);
        return (principal, why);
    }

    /// <summary>The principal's name and when the token expires; or a null name and why the token is refused.</summary>
    public async ValueTask<(string? Principal, DateTimeOffset Expires, string Why)> ValidateAsync(string token)
    {
        JsonWebToken parsed;
        try
        {
            parsed = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return (null, default, "the token is not a JWT");
        }

        // What needs no key first: a token that fails these costs no key lookup, and never a read of the endpoint.
        if (Refusal(parsed) is { } refused)
        {
            return (null, default, refused);
        }

        var audiences = options.Audiences();
        var signingKeys = await keys.GetAsync(string.IsNullOrEmpty(parsed.Kid) ? null : parsed.Kid);
        var result = await Tokens.ValidateTokenAsync(parsed, new TokenValidationParameters
        {
            IssuerSigningKeys = signingKeys,
            ValidAlgorithms = Algorithms,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromSeconds(options.ClockSkewSeconds),
            LifetimeValidator = (notBefore, expires, _, parameters) => WithinLifetime(notBefore, expires, parameters.ClockSkew),
            ValidateIssuer = !string.IsNullOrEmpty(options.ExpectedIssuer),
            ValidIssuer = options.ExpectedIssuer,
            ValidateAudience = audiences.Count > 0,
            ValidAudiences = audiences,
            ValidateIssuerSigningKey = false,
            SaveSigninToken = false,
        });
        if (!result.IsValid)
        {
            return (null, default, result.Exception?.Message ?? "the token is not valid");
        }

        return (parsed.TryGetPayloadValue<string>(options.SubClaimName, out var subject) ? subject.Trim() : "", new DateTimeOffset(parsed.ValidTo, TimeSpan.Zero), "") switch
        {
            ({ Length: > 0 } name, var expires, _) => (name, expires, ""),
            _ => (null, default, $"the token has no {options.SubClaimName} claim"),
        };
    }

    /// <summary>Why Kafka's validator would refuse the token before its signature is checked, or null.</summary>
    private string? Refusal(JsonWebToken token)
    {
        if (!Algorithms.Contains(token.Alg, StringComparer.Ordinal))
        {
            return $"the token's algorithm {token.Alg} is not an asymmetric one";
        }

        if (!token.TryGetPayloadValue<long>("exp", out _) || !token.TryGetPayloadValue<long>("iat", out var issuedAt) || issuedAt < 0)
        {
            return "the token lacks exp or iat";
        }

        if (!WithinLifetime(token.ValidFrom == DateTime.MinValue ? null : token.ValidFrom, token.ValidTo, TimeSpan.FromSeconds(options.ClockSkewSeconds)))
        {
            return "the token has expired, or is not valid yet";
        }

        if (!string.IsNullOrEmpty(options.ExpectedIssuer) && token.Issuer != options.ExpectedIssuer)
        {
            return "the token's issuer is not the expected one";
        }

        var audiences = options.Audiences();
        var named = token.Audiences.ToList();
        return audiences.Count == 0 && named.Count > 0 ? "the token names an audience, and none is expected"
            : audiences.Count > 0 && !named.Any(audiences.Contains) ? "the token names none of the expected audiences"
            : null;
    }

    /// <summary>The token's times against this broker's clock (a test's, or the system's), with the leeway.</summary>
    private bool WithinLifetime(DateTime? notBefore, DateTime? expires, TimeSpan skew)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return expires is { } end && end != DateTime.MinValue && now <= end + skew && (notBefore is not { } start || now >= start - skew);
    }

}

using System.Text;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Tributary.Gateway.Kafka.Security;

/// <summary>
/// SASL/OAUTHBEARER (RFC 7628) as Kafka's OAuthBearerSaslServer serves it: the client's first message
/// (<c>n,[a=authzid],^Aauth=Bearer token^A[key=value^A]^A</c>, read with Kafka's own grammar) carries a JWT, which is
/// checked as Kafka's JWT validator checks it: an asymmetric signature by a key of the JWKS endpoint; <c>exp</c> and
/// <c>iat</c> present, and the token unexpired; the expected issuer; an expected audience (and no audience at all when
/// none is expected); a subject in the subject claim, which names the principal. A token that fails is answered with
/// RFC 7628's error challenge (<c>{"status":"invalid_token"}</c>); the client's <c>^A</c> acknowledgement then ends the
/// exchange with that message, as Kafka does. Extensions are accepted and not used, as by Kafka's validator when no
/// extension validator is configured.
/// </summary>
public sealed partial class OAuthBearerExchange(OAuthBearerOptions options, JwksKeys keys, TimeProvider time) : ISaslExchange
{
    public const string Mechanism = "OAUTHBEARER";

    /// <summary>Kafka's answer to a first message it cannot read.</summary>
    public const string Malformed = "Authentication failed during authentication due to invalid credentials with SASL mechanism OAUTHBEARER";

    private const char Separator = '\u0001';
    private const string InvalidToken = """{"status":"invalid_token"}""";

    /// <summary>The signature algorithms Kafka's validator takes: asymmetric ones alone.</summary>
    private static readonly string[] Algorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    private static readonly JsonWebTokenHandler Tokens = new();

    private string? _error;
    private string? _reason;

    public async ValueTask<SaslStep> EvaluateAsync(ReadOnlyMemory<byte> clientToken)
    {
        if (_error is { } error && clientToken.Span.SequenceEqual([(byte)Separator]))
        {
            return SaslStep.Failed(error) with { Reason = _reason };
        }

        _error = null;
        if (!TryRead(clientToken.Span, out var authorizationId, out var token))
        {
            return SaslStep.Failed(Malformed) with { Reason = "the client's first message is not RFC 7628's" };
        }

        var (principal, expires, why) = await ValidateAsync(token);
        if (principal is null)
        {
            _error = InvalidToken;
            _reason = why;
            return new SaslStep(Encoding.UTF8.GetBytes(InvalidToken));
        }

        return authorizationId.Length > 0 && authorizationId != principal
            ? SaslStep.Failed($"Authentication failed: Client requested an authorization id ({authorizationId}) that is different from the token's principal name ({principal})")
            : new SaslStep([], Principal: "User:" + principal, CredentialExpires: expires);
    }

    /// <summary>The principal's name and when the token expires; or a null name and why the token is refused.</summary>
    private async ValueTask<(string? Principal, DateTimeOffset Expires, string Why)> ValidateAsync(string token)
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

    /// <summary>
    /// Reads a client first message with Kafka's grammar (OAuthBearerClientInitialResponse): the GS2 header with an
    /// optional authorization id, then key-value pairs each ended by ^A, then a last ^A; <c>auth</c> is
    /// <c>Bearer token</c>, the other keys are extensions. The authorization id is compared as written, as Kafka does.
    /// </summary>
    private static bool TryRead(ReadOnlySpan<byte> message, out string authorizationId, out string token)
    {
        authorizationId = token = "";
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(message);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var whole = ClientFirstMessage().Match(text);
        if (!whole.Success)
        {
            return false;
        }

        authorizationId = whole.Groups["authzid"].Value;
        foreach (Capture pair in whole.Groups["pair"].Captures)
        {
            var equals = pair.Value.IndexOf('=', StringComparison.Ordinal);
            if (pair.Value[..equals] != "auth")
            {
                continue;
            }

            var auth = Authorization().Match(pair.Value[(equals + 1)..^1]);
            if (!auth.Success || !auth.Groups["scheme"].Value.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || token.Length > 0)
            {
                return false;
            }

            token = auth.Groups["token"].Value;
        }

        return token.Length > 0;
    }

    [GeneratedRegex(@"\An,(a=(?<authzid>(?:[\x01-\x7F-[=,]]|=2C|=3D)+))?,\x01(?<pair>[A-Za-z]+=[\x21-\x7E \t\r\n]+\x01)*\x01\z")]
    private static partial Regex ClientFirstMessage();

    [GeneratedRegex(@"\A(?<scheme>\w+) +(?<token>[-_.a-zA-Z0-9]+)\z")]
    private static partial Regex Authorization();
}

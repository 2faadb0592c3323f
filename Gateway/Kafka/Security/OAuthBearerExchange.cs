using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Tributary.Gateway.Kafka.Security;

/// <summary>
/// SASL/OAUTHBEARER (RFC 7628) as Kafka's OAuthBearerSaslServer serves it: the client's first message
/// (<c>n,[a=authzid],^Aauth=Bearer token^A[key=value^A]^A</c>) carries a JWT, which must be signed by a key of the JWKS
/// endpoint, unexpired, from the expected issuer to an expected audience, and name the principal in its subject claim.
/// A token that fails is answered with RFC 7628's error challenge (<c>{"status":"invalid_token"}</c>); the client's
/// <c>^A</c> acknowledgement then ends the exchange with that message, as Kafka does. Extensions are accepted and not
/// used, as by Kafka's validator when no extension validator is configured.
/// </summary>
public sealed class OAuthBearerExchange(OAuthBearerOptions options, JwksKeys keys, TimeProvider time) : ISaslExchange
{
    public const string Mechanism = "OAUTHBEARER";

    /// <summary>Kafka's answer to a first message it cannot read.</summary>
    public const string Malformed = "Authentication failed during authentication due to invalid credentials with SASL mechanism OAUTHBEARER";

    private const char Separator = '\u0001';
    private const string InvalidToken = """{"status":"invalid_token"}""";
    private static readonly JsonWebTokenHandler Tokens = new();

    private string? _error;

    public async ValueTask<SaslStep> EvaluateAsync(ReadOnlyMemory<byte> clientToken)
    {
        if (_error is { } error && clientToken.Span.SequenceEqual([(byte)Separator]))
        {
            return SaslStep.Failed(error);
        }

        _error = null;
        if (!TryRead(clientToken.Span, out var authorizationId, out var token))
        {
            return SaslStep.Failed(Malformed);
        }

        if (await ValidateAsync(token) is not ({ } principal, var expires))
        {
            _error = InvalidToken;
            return new SaslStep(Encoding.UTF8.GetBytes(InvalidToken));
        }

        return authorizationId.Length > 0 && authorizationId != principal
            ? SaslStep.Failed($"Authentication failed: Client requested an authorization id ({authorizationId}) that is different from the token's principal name ({principal})")
            : new SaslStep([], Principal: "User:" + principal, CredentialExpires: expires);
    }

    /// <summary>The principal's name and when the token expires, or nulls when the token is not one to accept.</summary>
    private async ValueTask<(string? Principal, DateTimeOffset Expires)> ValidateAsync(string token)
    {
        JsonWebToken parsed;
        try
        {
            parsed = new JsonWebToken(token);
        }
        catch (ArgumentException)
        {
            return default;
        }

        var audiences = options.Audiences();
        var result = await Tokens.ValidateTokenAsync(parsed, new TokenValidationParameters
        {
            IssuerSigningKeys = await keys.GetAsync(string.IsNullOrEmpty(parsed.Kid) ? null : parsed.Kid, CancellationToken.None),
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
            return default;
        }

        return parsed.TryGetPayloadValue<string>(options.SubClaimName, out var subject) && !string.IsNullOrWhiteSpace(subject)
            ? (subject, new DateTimeOffset(parsed.ValidTo, TimeSpan.Zero))
            : default;
    }

    /// <summary>The token's times against this broker's clock (a test's, or the system's), with the leeway.</summary>
    private bool WithinLifetime(DateTime? notBefore, DateTime? expires, TimeSpan skew)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return expires is { } end && now <= end + skew && (notBefore is not { } start || now >= start - skew);
    }

    /// <summary>Reads a client first message: the GS2 header, then key-value pairs each ended by ^A, then a last ^A.</summary>
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

        var headerEnd = text.IndexOf(',', 2);
        if (!text.StartsWith("n,", StringComparison.Ordinal) || headerEnd < 0)
        {
            return false;
        }

        var authorization = text[2..headerEnd];
        if (authorization.Length > 0)
        {
            if (!authorization.StartsWith("a=", StringComparison.Ordinal))
            {
                return false;
            }

            authorizationId = authorization[2..].Replace("=2C", ",", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
        }

        var pairs = text[(headerEnd + 1)..];
        if (pairs.Length < 2 || pairs[0] != Separator || !pairs.EndsWith($"{Separator}{Separator}", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var pair in pairs[1..^2].Split(Separator))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return false;
            }

            var key = pair[..equals];
            var value = pair[(equals + 1)..];
            if (key == "auth")
            {
                var space = value.IndexOf(' ', StringComparison.Ordinal);
                if (space < 0 || !value[..space].Equals("Bearer", StringComparison.OrdinalIgnoreCase) || token.Length > 0)
                {
                    return false;
                }

                token = value[space..].TrimStart(' ');
            }
            else if (!key.All(char.IsAsciiLetter) || value.Length == 0 || value.Any(c => c > '\u007f'))
            {
                return false;
            }
        }

        return token.Length > 0 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
    }
}

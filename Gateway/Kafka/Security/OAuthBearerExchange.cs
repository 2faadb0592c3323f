using System.Text;
using System.Text.RegularExpressions;

namespace Tributary.Gateway.Kafka.Security;

/// <summary>
/// SASL/OAUTHBEARER (RFC 7628) as Kafka's OAuthBearerSaslServer serves it: the client's first message
/// (<c>n,[a=authzid],^Aauth=Bearer token^A[key=value^A]^A</c>, read with Kafka's own grammar) carries a JWT, which is
/// checked as Kafka's JWT validator checks it (<see cref="JwtValidator"/>). A token that fails is answered with
/// RFC 7628's error challenge (<c>{"status":"invalid_token"}</c>); the client's <c>^A</c> acknowledgement then ends the
/// exchange with that message, as Kafka does. Extensions are accepted and not used, as by Kafka's validator when no
/// extension validator is configured.
/// </summary>
public sealed partial class OAuthBearerExchange(JwtValidator validator) : ISaslExchange
{
    public const string Mechanism = "OAUTHBEARER";

    /// <summary>Kafka's answer to a first message it cannot read.</summary>
    public const string Malformed = "Authentication failed during authentication due to invalid credentials with SASL mechanism OAUTHBEARER";

    private const char Separator = '\u0001';
    private const string InvalidToken = """{"status":"invalid_token"}""";

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

        var (principal, expires, why) = await validator.ValidateAsync(token);
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

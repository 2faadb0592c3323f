using System.Text;

namespace Tributary.Gateway.Kafka.Security;

/// <summary>
/// SASL/PLAIN (RFC 4616), as Kafka's PlainServer takes it: one token <c>[authzid] NUL authcid NUL passwd</c>, where an
/// authorization id, if given, must be the user's own; the principal is <c>User:authcid</c>.
/// </summary>
public sealed class PlainExchange(PlainCredentials credentials) : ISaslExchange
{
    /// <summary>Kafka's message for any refusal, so that the client learns nothing of which part was wrong.</summary>
    public const string Refused = "Authentication failed: Invalid username or password";

    public ValueTask<SaslStep> EvaluateAsync(ReadOnlyMemory<byte> clientToken) => ValueTask.FromResult(Evaluate(clientToken.Span));

    private SaslStep Evaluate(ReadOnlySpan<byte> clientToken)
    {
        var first = clientToken.IndexOf((byte)0);
        var second = first < 0 ? -1 : clientToken[(first + 1)..].IndexOf((byte)0);
        if (second < 0)
        {
            return SaslStep.Failed("Invalid SASL/PLAIN response: expected 3 tokens");
        }

        second += first + 1;
        string authorizationId, user;
        try
        {
            var strict = new UTF8Encoding(false, throwOnInvalidBytes: true);
            authorizationId = strict.GetString(clientToken[..first]);
            user = strict.GetString(clientToken[(first + 1)..second]);
        }
        catch (DecoderFallbackException)
        {
            return SaslStep.Failed(Refused);
        }

        var password = clientToken[(second + 1)..];
        if (password.IndexOf((byte)0) >= 0)
        {
            return SaslStep.Failed("Invalid SASL/PLAIN response: expected 3 tokens");
        }

        if (user.Length == 0 || password.IsEmpty || !credentials.Verify(user, password))
        {
            return SaslStep.Failed(Refused);
        }

        return authorizationId.Length > 0 && authorizationId != user
            ? SaslStep.Failed("Authentication failed: Client requested an authorization id that is different from username")
            : new SaslStep([], Principal: $"User:{user}");
    }
}

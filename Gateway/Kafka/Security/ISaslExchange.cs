namespace Tributary.Gateway.Kafka.Security;

/// <summary>
/// The server's side of one SASL exchange: each client token gets the next step, until it completes with the
/// authenticated principal or fails. A failure's message is what the client is told, and never says which part was wrong.
/// </summary>
public interface ISaslExchange
{
    ValueTask<SaslStep> EvaluateAsync(ReadOnlyMemory<byte> clientToken);
}

/// <summary>
/// What one client token led to: a token back, and (when the exchange is over) the principal, with when its credential
/// expires if it does (an OAUTHBEARER token), or the failure.
/// </summary>
public sealed record SaslStep(byte[] ServerToken, string? Principal = null, string? Failure = null, DateTimeOffset? CredentialExpires = null)
{
    /// <summary>Why it failed, for the broker's log when that says more than the client is told.</summary>
    public string? Reason { get; init; }

    public bool IsComplete => Principal is not null;

    public bool IsFailed => Failure is not null;

    public static SaslStep Failed(string message) => new([], Failure: message);
}

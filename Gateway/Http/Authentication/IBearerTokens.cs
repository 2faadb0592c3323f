namespace Tributary.Gateway.Http.Authentication;

/// <summary>
/// Bearer tokens (JWTs) checked as the Kafka listeners check SASL/OAUTHBEARER's, so that an HTTP API whose
/// <see cref="HttpAuthenticationOptions.Method"/> is BEARER takes the same tokens as the Kafka port.
/// </summary>
public interface IBearerTokens
{
    /// <summary>
    /// The principal's name the token carries; or null, and why the token is not good (for the server's log alone:
    /// the caller is never told which check failed).
    /// </summary>
    ValueTask<(string? Principal, string Why)> AuthenticateAsync(string token);
}

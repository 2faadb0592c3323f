namespace Tributary.Gateway.Http.Authentication;

/// <summary>
/// Bearer tokens (JWTs) checked as the Kafka listeners check SASL/OAUTHBEARER's, so that an HTTP API whose
/// <see cref="HttpAuthenticationOptions.Method"/> is BEARER takes the same tokens as the Kafka port.
/// </summary>
public interface IBearerTokens
{
    /// <summary>The principal's name the token carries, or null when the token is not good.</summary>
    ValueTask<string?> AuthenticateAsync(string token);
}

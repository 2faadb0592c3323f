namespace Tributary.Gateway.Http.Authentication;

/// <summary>
/// The Kafka listeners' SASL users (PLAIN's users, SCRAM's credentials), whose passwords an HTTP API takes too when its
/// <see cref="HttpAuthenticationOptions.KafkaUsers"/> is set, so that a user has one password for every port.
/// </summary>
public interface ISaslUsers
{
    /// <summary>Whether <paramref name="password"/> is the user's for some SASL mechanism enabled on the Kafka listeners.</summary>
    ValueTask<bool> AuthenticateAsync(string user, string password);
}

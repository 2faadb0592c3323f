using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Tributary.Gateway.Http.Authentication;
using Tributary.Grains.Interfaces.Security;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Security;

/// <summary>
/// The Kafka listeners' SASL users, for the HTTP APIs: a password is PLAIN's user's (when PLAIN is enabled), or
/// derives the stored key of the user's SCRAM credential of an enabled mechanism, as the SCRAM exchange checks it. A
/// password found good for a credential is remembered (its digest, beside that credential's key), so that an HTTP
/// client does not pay the salting's thousands of iterations on every request; a changed credential is checked anew.
/// </summary>
public sealed class SaslUsers(SaslMechanisms mechanisms, IGrainFactory grains) : ISaslUsers
{
    /// <summary>How many users' checked passwords are remembered; past it, none is added until the memory is cleared.</summary>
    private const int MaxRemembered = 10_000;

    private readonly ConcurrentDictionary<(string User, sbyte Mechanism), (byte[] PasswordDigest, byte[] StoredKey)> _checked = new();

    public async ValueTask<bool> AuthenticateAsync(string user, string password)
    {
        var bytes = Encoding.UTF8.GetBytes(password);
        if (mechanisms.VerifyPlain(user, bytes))
        {
            return true;
        }

        foreach (var scram in ScramMechanism.All.Where(m => mechanisms.Enabled.Contains(m.Name, StringComparer.Ordinal)))
        {
            if (await grains.GetGrain<IScramCredentialsGrain>(0).FindAsync(user, scram.Id) is not { } credential)
            {
                continue;
            }

            var digest = SHA256.HashData(bytes);
            if (_checked.TryGetValue((user, scram.Id), out var known)
                && CryptographicOperations.FixedTimeEquals(known.StoredKey, credential.StoredKey)
                && CryptographicOperations.FixedTimeEquals(known.PasswordDigest, digest))
            {
                return true;
            }

            var derived = scram.Credential(credential.Salt, scram.SaltPassword(bytes, credential.Salt, credential.Iterations), credential.Iterations);
            if (CryptographicOperations.FixedTimeEquals(derived.StoredKey, credential.StoredKey))
            {
                if (_checked.Count >= MaxRemembered)
                {
                    _checked.Clear();
                }

                _checked[(user, scram.Id)] = (digest, credential.StoredKey);
                return true;
            }
        }

        return false;
    }
}

using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Tributary.Gateway.Http.Authentication;
using Tributary.Grains.Interfaces.Security;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Security;

/// <summary>
/// The Kafka listeners' SASL users, for the HTTP APIs: a password is PLAIN's user's (when PLAIN is enabled), or
/// derives the stored key of the user's SCRAM credential of an enabled mechanism, as the SCRAM exchange checks it.
/// <para>A password found good for a credential is remembered (a keyed digest of it, beside that credential's key), so
/// that an HTTP client does not pay the salting's thousands of iterations on every request; a changed credential is
/// checked anew. A user without a credential costs a salting too, so that the time of a refusal does not tell which
/// users exist; saltings run at most one per core at a time, so that wrong passwords cannot take every core. A control
/// plane that cannot be asked refuses, as a SCRAM exchange does.</para>
/// </summary>
public sealed class SaslUsers(SaslMechanisms mechanisms, IGrainFactory grains) : ISaslUsers
{
    /// <summary>How many users' checked passwords are remembered; past it, the memory is cleared.</summary>
    private const int MaxRemembered = 10_000;

    private readonly ConcurrentDictionary<(string User, sbyte Mechanism), (byte[] PasswordDigest, byte[] StoredKey)> _checked = new();
    private readonly byte[] _digestKey = RandomNumberGenerator.GetBytes(32);
    private readonly byte[] _madeUpSalt = RandomNumberGenerator.GetBytes(16);
    private readonly SemaphoreSlim _saltings = new(Environment.ProcessorCount, Environment.ProcessorCount);

    public async ValueTask<bool> AuthenticateAsync(string user, string password)
    {
        var bytes = Encoding.UTF8.GetBytes(password);
        if (mechanisms.VerifyPlain(user, bytes))
        {
            return true;
        }

        var digest = HMACSHA256.HashData(_digestKey, bytes);
        var salted = false;
        foreach (var scram in ScramMechanism.All.Where(m => mechanisms.Enabled.Contains(m.Name, StringComparer.Ordinal)))
        {
            ScramCredential? credential;
            try
            {
                credential = await grains.GetGrain<IScramCredentialsGrain>(0).FindAsync(user, scram.Id);
            }
            catch (Exception e) when (e is TimeoutException or OrleansException)
            {
                return false;
            }

            if (credential is null)
            {
                _checked.TryRemove((user, scram.Id), out _);
                continue;
            }

            if (_checked.TryGetValue((user, scram.Id), out var known)
                && CryptographicOperations.FixedTimeEquals(known.StoredKey, credential.StoredKey)
                && CryptographicOperations.FixedTimeEquals(known.PasswordDigest, digest))
            {
                return true;
            }

            salted = true;
            var derived = await SaltAsync(() => scram.Credential(credential.Salt, scram.SaltPassword(bytes, credential.Salt, credential.Iterations), credential.Iterations));
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

        if (!salted && mechanisms.Enabled.Any(m => ScramMechanism.ByName(m) is not null))
        {
            // No credential: the same work as a wrong password, on a salt of no one's.
            await SaltAsync(() => ScramMechanism.Sha512.SaltPassword(bytes, _madeUpSalt, ScramMechanism.MinIterations));
        }

        return false;
    }

    private async Task<T> SaltAsync<T>(Func<T> salt)
    {
        await _saltings.WaitAsync();
        try
        {
            return salt();
        }
        finally
        {
            _saltings.Release();
        }
    }
}

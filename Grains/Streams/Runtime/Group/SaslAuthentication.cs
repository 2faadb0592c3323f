using System.Security.Cryptography;
using System.Text;
using Confluent.Kafka;

namespace Tributary.Grains.Streams.Runtime.Group;

/// <summary>
/// SASL on a new connection, as Kafka's clients do it: SaslHandshake v1 names the mechanism, then SaslAuthenticate v1
/// carries its messages. PLAIN sends the name and password; OAUTHBEARER a token (<see cref="OidcClientCredentials"/>); SCRAM-SHA-256/512 is RFC 5802's exchange (client-first,
/// server-first with salt and iterations, client-final with the proof) and checks the server's signature, so a broker
/// that does not know the password cannot pass itself off.
/// </summary>
internal static class SaslAuthentication
{
    private const short SaslHandshake = 17;
    private const short SaslAuthenticate = 36;

    public static async Task AuthenticateAsync(BrokerConnection connection, ClientSecurity security, CancellationToken cancellation)
    {
        var mechanism = security.SaslMechanism!;
        var (username, password) = (security.SaslUsername ?? "", security.SaslPassword ?? "");
        var handshake = await connection.SendAsync(SaslHandshake, 1, w => w.String(mechanism), cancellation);
        var error = (ErrorCode)handshake.Int16();
        var enabled = handshake.Array(r => r.RequiredString());
        if (error != ErrorCode.NoError)
        {
            throw new KafkaException(new Error(error, $"Broker {connection.Endpoint} does not take SASL mechanism {mechanism} (it takes {string.Join(", ", enabled)})"));
        }

        if (mechanism == "OAUTHBEARER")
        {
            var oidc = security.Oidc!;
            await ExchangeAsync(connection, oidc.InitialResponse(await oidc.TokenAsync(cancellation)), cancellation);
            return;
        }

        if (mechanism == "PLAIN")
        {
            await ExchangeAsync(connection, Encoding.UTF8.GetBytes($"\0{username}\0{password}"), cancellation);
            return;
        }

        var hash = mechanism == "SCRAM-SHA-512" ? HashAlgorithmName.SHA512 : HashAlgorithmName.SHA256;
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        var clientFirstBare = $"n={username.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal)},r={nonce}";
        var serverFirst = Encoding.UTF8.GetString(await ExchangeAsync(connection, Encoding.UTF8.GetBytes("n,," + clientFirstBare), cancellation));
        var fields = Fields(serverFirst);
        if (!fields.TryGetValue('r', out var serverNonce) || !serverNonce.StartsWith(nonce, StringComparison.Ordinal)
            || !fields.TryGetValue('s', out var salt) || !fields.TryGetValue('i', out var iterationsText) || !int.TryParse(iterationsText, out var iterations) || iterations < 1)
        {
            throw new KafkaException(new Error(ErrorCode.SaslAuthenticationFailed, $"Broker {connection.Endpoint} sent a malformed SCRAM server-first message"));
        }

        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(salt), iterations, hash, HashLength(hash));
        var clientKey = Hmac(hash, salted, "Client Key"u8);
        var storedKey = hash == HashAlgorithmName.SHA512 ? SHA512.HashData(clientKey) : SHA256.HashData(clientKey);
        var clientFinalWithoutProof = $"c=biws,r={serverNonce}";
        var authMessage = Encoding.UTF8.GetBytes($"{clientFirstBare},{serverFirst},{clientFinalWithoutProof}");
        var signature = Hmac(hash, storedKey, authMessage);
        var proof = new byte[clientKey.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            proof[i] = (byte)(clientKey[i] ^ signature[i]);
        }

        var serverFinal = Fields(Encoding.UTF8.GetString(await ExchangeAsync(
            connection, Encoding.UTF8.GetBytes($"{clientFinalWithoutProof},p={Convert.ToBase64String(proof)}"), cancellation)));
        var expected = Hmac(hash, Hmac(hash, salted, "Server Key"u8), authMessage);
        if (!serverFinal.TryGetValue('v', out var verifier) || !CryptographicOperations.FixedTimeEquals(Convert.FromBase64String(verifier), expected))
        {
            throw new KafkaException(new Error(ErrorCode.SaslAuthenticationFailed, $"Broker {connection.Endpoint} did not prove it knows the SCRAM credential"));
        }
    }

    private static async Task<byte[]> ExchangeAsync(BrokerConnection connection, byte[] message, CancellationToken cancellation)
    {
        var response = await connection.SendAsync(SaslAuthenticate, 1, w => w.Bytes(message), cancellation);
        var error = (ErrorCode)response.Int16();
        var why = response.String();
        var answer = response.Bytes() ?? [];
        _ = response.Int64();
        return error == ErrorCode.NoError
            ? answer
            : throw new KafkaException(new Error(error, $"SASL authentication with broker {connection.Endpoint} failed: {why}"));
    }

    private static Dictionary<char, string> Fields(string message) =>
        message.Split(',').Where(f => f.Length >= 2 && f[1] == '=').GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.First()[2..]);

    private static int HashLength(HashAlgorithmName hash) => hash == HashAlgorithmName.SHA512 ? 64 : 32;

    private static byte[] Hmac(HashAlgorithmName hash, byte[] key, ReadOnlySpan<byte> data) =>
        hash == HashAlgorithmName.SHA512 ? HMACSHA512.HashData(key, data) : HMACSHA256.HashData(key, data);
}

using System.Security.Cryptography;

namespace Tributary.Grains.KafkaFormats.Security;

/// <summary>
/// Kafka's SCRAM mechanisms (RFC 5802, RFC 7677), by the numbers of its admin API (<c>ScramMechanism</c>: 1 for
/// SCRAM-SHA-256, 2 for SCRAM-SHA-512), with the iteration bounds Kafka accepts for a credential.
/// </summary>
public sealed record ScramMechanism(sbyte Id, string Name, HashAlgorithmName Hash)
{
    /// <summary>Kafka's ScramMechanism.minIterations: fewer is UNACCEPTABLE_CREDENTIAL.</summary>
    public const int MinIterations = 4096;

    /// <summary>Kafka's bound on iterations (ScramFormatter): more is UNACCEPTABLE_CREDENTIAL.</summary>
    public const int MaxIterations = 16384;

    public static readonly ScramMechanism Sha256 = new(1, "SCRAM-SHA-256", HashAlgorithmName.SHA256);

    public static readonly ScramMechanism Sha512 = new(2, "SCRAM-SHA-512", HashAlgorithmName.SHA512);

    public static readonly IReadOnlyList<ScramMechanism> All = [Sha256, Sha512];

    public static ScramMechanism? ById(sbyte id) => All.FirstOrDefault(m => m.Id == id);

    public static ScramMechanism? ByName(string name) => All.FirstOrDefault(m => m.Name == name);

    public byte[] Digest(ReadOnlySpan<byte> data) => Hash == HashAlgorithmName.SHA256 ? SHA256.HashData(data) : SHA512.HashData(data);

    public byte[] Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data) =>
        Hash == HashAlgorithmName.SHA256 ? HMACSHA256.HashData(key, data) : HMACSHA512.HashData(key, data);

    /// <summary>The credential a server keeps for a salted password (RFC 5802 §3): StoredKey = H(HMAC(SaltedPassword, "Client Key")), ServerKey = HMAC(SaltedPassword, "Server Key").</summary>
    public ScramCredential Credential(byte[] salt, ReadOnlySpan<byte> saltedPassword, int iterations) =>
        new(salt, Digest(Hmac(saltedPassword, "Client Key"u8)), Hmac(saltedPassword, "Server Key"u8), iterations);

    /// <summary>Hi(password, salt, i) of RFC 5802: PBKDF2 with this mechanism's HMAC.</summary>
    public byte[] SaltPassword(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, Hash, Hash == HashAlgorithmName.SHA256 ? 32 : 64);
}

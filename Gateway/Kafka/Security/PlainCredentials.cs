using System.Security.Cryptography;
using System.Text;

namespace Tributary.Gateway.Kafka.Security;

/// <summary>
/// PLAIN's users and passwords. A password is compared in constant time, and an unknown user costs the same
/// comparison, so that the time of a refusal says nothing of which part was wrong.
/// </summary>
public sealed class PlainCredentials
{
    private static readonly byte[] NoPassword = SHA256.HashData("no such user"u8);

    private readonly Dictionary<string, byte[]> _hashes;

    public PlainCredentials(IReadOnlyDictionary<string, string> users) =>
        _hashes = users.ToDictionary(u => u.Key, u => SHA256.HashData(Encoding.UTF8.GetBytes(u.Value)), StringComparer.Ordinal);

    public bool Verify(string user, ReadOnlySpan<byte> password)
    {
        Span<byte> offered = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(password, offered);
        var known = _hashes.TryGetValue(user, out var hash);
        return CryptographicOperations.FixedTimeEquals(offered, hash ?? NoPassword) && known;
    }
}

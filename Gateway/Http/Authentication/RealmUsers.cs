using System.Security.Cryptography;
using System.Text;

namespace Tributary.Gateway.Http.Authentication;

/// <summary>
/// The users of a Jetty realm file (<c>HashLoginService</c>, <c>PropertyFileLoginModule</c>): one
/// <c>user: password[,role ...]</c> entry per line, in Java's properties syntax (<c>=</c> or a blank may stand for the
/// colon, <c>#</c> and <c>!</c> comments, escapes and continued lines). A password is
/// plain text, <c>MD5:</c> and its hex digest, or Jetty's <c>OBF:</c> obfuscation; <c>CRYPT:</c> (Unix crypt) is
/// refused, so that a user is never silently locked out.
/// </summary>
public sealed class RealmUsers
{
    private readonly Dictionary<string, (Credential Credential, string[] Roles)> _users;

    private RealmUsers(Dictionary<string, (Credential, string[])> users) => _users = users;

    /// <summary>
    /// The users of a realm file's text, read as Java properties (<see cref="JavaProperties"/>: a later entry for a user
    /// replaces an earlier one); InvalidOperationException naming the line of an entry that cannot be read.
    /// </summary>
    public static RealmUsers Parse(string text)
    {
        var users = new Dictionary<string, (Credential, string[])>(StringComparer.Ordinal);
        foreach (var (line, key, value) in JavaProperties.Parse(text))
        {
            // As Jetty's PropertyUserStore: names trimmed as Java trims, and an empty one is no user.
            var user = JavaTrim(key);
            if (user.Length > 0)
            {
                users[user] = Entry(value, $"line {line}");
            }
        }

        return new RealmUsers(users);
    }

    /// <summary>The users of a realm file, whose bytes Java reads as ISO-8859-1.</summary>
    public static RealmUsers Read(string file) => Parse(JavaProperties.FileEncoding.GetString(File.ReadAllBytes(file)));

    /// <summary>The users of the configuration: name → <c>password[,role ...]</c>.</summary>
    public static RealmUsers From(IReadOnlyDictionary<string, string> entries) =>
        new(entries.ToDictionary(e => e.Key, e => Entry(e.Value, $"user {e.Key}"), StringComparer.Ordinal));

    /// <summary>The user's roles when the password is the user's, else null (an unknown user costs the same check).</summary>
    public string[]? Authenticate(string user, string password)
    {
        if (!_users.TryGetValue(user, out var entry))
        {
            Unknown.Matches(password);
            return null;
        }

        return entry.Credential.Matches(password) ? entry.Roles : null;
    }

    /// <summary>Java's <c>String.trim</c>: every character up to U+0020 off both ends, and nothing else.</summary>
    private static string JavaTrim(string text) => text.Trim(JavaBlanks);

    private static readonly char[] JavaBlanks = [.. Enumerable.Range(0, 0x21).Select(c => (char)c)];

    private static readonly Credential Unknown = Credential.Plain(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));

    private static (Credential, string[]) Entry(string value, string where)
    {
        // Jetty's split: the credential before the first comma, roles after it, each trimmed as Java trims.
        var parts = value.Split(',').Select(JavaTrim).ToArray();
        var password = parts[0];
        var roles = parts.Skip(1).Where(r => r.Length > 0).ToArray();
        if (password.Length == 0)
        {
            throw new InvalidOperationException($"{where}: an empty password");
        }

        if (password.StartsWith("MD5:", StringComparison.Ordinal))
        {
            var hex = password[4..];
            if (hex.Length != 32 || !hex.All(Uri.IsHexDigit))
            {
                throw new InvalidOperationException($"{where}: an MD5 password must be 32 hexadecimal digits");
            }

            return (new Credential(Convert.FromHexString(hex), Md5: true), roles);
        }

        if (password.StartsWith("OBF:", StringComparison.Ordinal))
        {
            return (Credential.Plain(Deobfuscate(password[4..], where)), roles);
        }

        if (password.StartsWith("CRYPT:", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{where}: CRYPT passwords are not served; use MD5: or plain text");
        }

        return (Credential.Plain(password), roles);
    }

    /// <summary>Jetty's <c>Password.deobfuscate</c>: a byte per group of four base-36 digits (five, led by U, for a byte above 0x7F).</summary>
    private static string Deobfuscate(string obfuscated, string where)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < obfuscated.Length;)
        {
            if (obfuscated[i] == 'U')
            {
                // A byte that was negative in Java: its value is the high byte of the group.
                if (i + 5 > obfuscated.Length)
                {
                    throw new InvalidOperationException($"{where}: not an OBF: password");
                }

                bytes.Add((byte)(Base36(obfuscated.Substring(i + 1, 4), where) >> 8));
                i += 5;
                continue;
            }

            if (i + 4 > obfuscated.Length)
            {
                throw new InvalidOperationException($"{where}: not an OBF: password");
            }

            var number = Base36(obfuscated.Substring(i, 4), where);
            var i1 = number / 256;
            var i2 = number % 256;
            bytes.Add((byte)((i1 + i2 - 254) / 2));
            i += 4;
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }

    private static int Base36(string digits, string where)
    {
        var value = 0;
        foreach (var c in digits)
        {
            var digit = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'z' ? c - 'a' + 10 : c is >= 'A' and <= 'Z' ? c - 'A' + 10 : -1;
            if (digit < 0)
            {
                throw new InvalidOperationException($"{where}: not an OBF: password");
            }

            value = (value * 36) + digit;
        }

        return value;
    }

    /// <summary>
    /// A password as kept: the SHA-256 digest of a plain one, or the MD5 digest Jetty was given. A check computes both
    /// digests of what it is given, whichever is kept, and compares digests of fixed length, so that its time tells
    /// neither a password's length nor which kind of user (or none) was asked for.
    /// </summary>
    private sealed record Credential(byte[] Secret, bool Md5)
    {
        public static Credential Plain(string password) => new(SHA256.HashData(Encoding.UTF8.GetBytes(password)), Md5: false);

        public bool Matches(string password)
        {
            var given = Encoding.UTF8.GetBytes(password);
            var md5 = MD5.HashData(given);
            var sha256 = SHA256.HashData(given);
            return CryptographicOperations.FixedTimeEquals(Md5 ? md5 : sha256, Secret);
        }
    }
}

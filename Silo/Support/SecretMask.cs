using System.Text.RegularExpressions;

namespace Tributary.Silo.Support;

/// <summary>
/// What the support bundle must not show: the value of any setting whose name says it is a secret (passwords, keys,
/// tokens, connection strings, users' passwords, OTLP headers), secrets embedded in other values
/// (<c>password=...</c> in a connection string, a URL's user info), and every such value wherever else it appears
/// (a log line that quoted it).
/// </summary>
public sealed partial class SecretMask
{
    public const string Masked = "********";

    private static readonly string[] SecretNameParts =
    [
        "password", "passwd", "secret", "token", "credential", "connectionstring", "accountkey", "apikey", "privatekey",
        "keystorekey", "jaas", "headers",
    ];

    private readonly List<string> _values = [];

    /// <summary>A mask that also hides, wherever they appear, the secret values of <paramref name="settings"/>.</summary>
    public SecretMask(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        foreach (var (key, value) in settings)
        {
            if (IsSecret(key) && value is { Length: >= 4 })
            {
                _values.Add(value);
            }
        }

        // The longest first, so that a secret containing another is hidden whole.
        _values.Sort((a, b) => b.Length.CompareTo(a.Length));
    }

    /// <summary>Whether a setting's name says its value is a secret; every value under a <c>Users</c> or <c>PlainUsers</c> section is a password.</summary>
    public static bool IsSecret(string key)
    {
        var lower = key.ToLowerInvariant();
        return SecretNameParts.Any(lower.Contains) || lower.Split(':', '.', '_').Any(part => part.EndsWith("users", StringComparison.Ordinal));
    }

    /// <summary>A setting's value as the bundle shows it.</summary>
    public string Setting(string key, string? value) => value is null ? "" : IsSecret(key) ? Masked : Text(value);

    /// <summary>Any text with the known secrets and embedded ones masked.</summary>
    public string Text(string text)
    {
        foreach (var secret in _values)
        {
            text = text.Replace(secret, Masked, StringComparison.Ordinal);
        }

        text = EmbeddedSecret().Replace(text, match => $"{match.Groups["name"].Value}{match.Groups["separator"].Value}{Masked}");
        return UserInfo().Replace(text, match => $"{match.Groups["scheme"].Value}{match.Groups["user"].Value}:{Masked}@");
    }

    /// <summary><c>password=...</c>, <c>AccountKey=...</c> and the like, in connection strings, query strings and JAAS lines.</summary>
    [GeneratedRegex(@"(?<name>\b(?:password|pwd|accountkey|sharedaccesssignature|sharedaccesskey|sig|secret|token|apikey)\s*)(?<separator>=\s*)(?:""[^""]*""|'[^']*'|[^;,&\s""']+)", RegexOptions.IgnoreCase)]
    private static partial Regex EmbeddedSecret();

    /// <summary>A URL's <c>user:password@</c>.</summary>
    [GeneratedRegex(@"(?<scheme>[a-z][a-z0-9+.-]*://)(?<user>[^:/@\s]+):[^@/\s]+@", RegexOptions.IgnoreCase)]
    private static partial Regex UserInfo();
}

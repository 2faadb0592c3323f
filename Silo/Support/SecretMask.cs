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
        "keystorekey", "jaas", "headers", "userinfo",
    ];

    private readonly List<string> _values = [];

    /// <summary>A mask that also hides, wherever they appear, the secret values of <paramref name="settings"/> and their parts.</summary>
    public SecretMask(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        foreach (var (key, value) in settings)
        {
            if (IsSecret(key) && value is not null)
            {
                _values.AddRange(SecretParts(key, value).Where(part => part.Length >= 4));
            }
        }

        // The longest first, so that a secret containing another is hidden whole.
        _values = [.. _values.Distinct().OrderByDescending(v => v.Length)];
    }

    /// <summary>
    /// Whether a setting's name says its value is a secret, whatever separates its words (<c>ssl.keystore.key</c>,
    /// <c>KeystoreKey</c>, <c>api_key</c>); every value under a <c>Users</c> or <c>PlainUsers</c> section is a password.
    /// </summary>
    public static bool IsSecret(string key)
    {
        var lower = key.ToLowerInvariant();
        var words = lower.Replace(":", "").Replace(".", "").Replace("_", "").Replace("-", "");
        return SecretNameParts.Any(words.Contains)
               || lower.Split(':', '.', '_').Any(part => part.EndsWith("users", StringComparison.Ordinal));
    }

    /// <summary>
    /// The value, and the parts of it a log line could quote alone: a user's password before its roles
    /// (<c>password,role</c>), each value of <c>name=value</c> pairs (headers, connection strings) and its last word
    /// (<c>Bearer TOKEN</c>).
    /// </summary>
    private static IEnumerable<string> SecretParts(string key, string value)
    {
        yield return value;
        if (key.ToLowerInvariant().Split(':', '.', '_').Any(part => part.EndsWith("users", StringComparison.Ordinal)))
        {
            yield return value.Split(',')[0].Trim();
        }

        foreach (var pair in value.Split(',', ';', '&'))
        {
            if (pair.IndexOf('=') is var equals and >= 0)
            {
                var secret = pair[(equals + 1)..].Trim();
                yield return secret;
                yield return secret.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
            }
        }
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
        text = JsonSecret().Replace(text, match => $"\"{match.Groups["name"].Value}\": \"{Masked}\"");
        return UserInfo().Replace(text, match => $"{match.Groups["scheme"].Value}{match.Groups["user"].Value}:{Masked}@");
    }

    /// <summary>
    /// <c>password=...</c>, <c>AccountKey=...</c>, <c>client_secret=...</c> and the like, in connection strings, query
    /// strings and JAAS lines.
    /// </summary>
    [GeneratedRegex(@"(?<name>[\w.-]*(?:password|passwd|pwd|accountkey|sharedaccesssignature|sharedaccesskey|sig|secret|token|apikey)[\w.-]*)(?<separator>\s*=\s*)(?:""[^""]*""|'[^']*'|[^;,&\s""']+)", RegexOptions.IgnoreCase)]
    private static partial Regex EmbeddedSecret();

    /// <summary>The same in JSON: <c>"password": "..."</c>, <c>"client_secret":"..."</c>.</summary>
    [GeneratedRegex(@"""(?<name>[\w.-]*(?:password|passwd|pwd|accountkey|secret|token|apikey)[\w.-]*)""\s*:\s*""(?:[^""\\]|\\.)*""", RegexOptions.IgnoreCase)]
    private static partial Regex JsonSecret();

    /// <summary>A URL's <c>user:password@</c>.</summary>
    [GeneratedRegex(@"(?<scheme>[a-z][a-z0-9+.-]*://)(?<user>[^:/@\s]+):[^@/\s]+@", RegexOptions.IgnoreCase)]
    private static partial Regex UserInfo();
}

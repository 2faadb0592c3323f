namespace Tributary.Gateway.Http.Authentication;

/// <summary>
/// HTTP authentication of one of the HTTP APIs (<c>Tributary:SchemaRegistry:Authentication</c>,
/// <c>Tributary:RestProxy:Authentication</c>, <c>Tributary:Connect:Authentication</c>), with the names of Confluent's
/// <c>authentication.method</c>, <c>authentication.realm</c> and <c>authentication.roles</c>. The users are those of
/// Jetty's <c>PropertyFileLoginModule</c>: a file of <c>user: password[,role ...]</c> lines (<see cref="UsersFile"/>),
/// or the same entries in the configuration (<see cref="Users"/>), and the Kafka listeners' SASL users
/// (<see cref="KafkaUsers"/>).
/// </summary>
public sealed class HttpAuthenticationOptions
{
    public const string None = "NONE";
    public const string Basic = "BASIC";
    public const string Bearer = "BEARER";

    /// <summary>
    /// <c>authentication.method</c>: NONE (the default), BASIC, or BEARER: bearer tokens checked as the Kafka listeners'
    /// SASL/OAUTHBEARER tokens are (<c>Tributary:Kafka:Sasl:OAuthBearer</c>), and HTTP Basic too for any users given.
    /// BEARER is Tributary's own: Confluent's open-source services need a commercial plug-in for it.
    /// </summary>
    public string Method { get; set; } = None;

    /// <summary><c>authentication.realm</c>: the realm named in the challenge of a request without credentials.</summary>
    public string Realm { get; set; } = "Tributary";

    /// <summary>
    /// <c>authentication.roles</c>: the roles that may use the API, comma-separated; <c>*</c> (the default) or Jetty's
    /// <c>**</c> lets every authenticated user in, whatever its roles.
    /// </summary>
    public string Roles { get; set; } = "*";

    /// <summary>Users by name, each as <c>password[,role ...]</c>, the password plain or as Jetty writes it (<c>MD5:</c>, <c>OBF:</c>).</summary>
    public Dictionary<string, string> Users { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// A Jetty realm file (what <c>PropertyFileLoginModule</c>'s <c>file</c> names) of <c>user: password[,role ...]</c>
    /// lines, instead of <see cref="Users"/>; read again within a second of its bytes changing.
    /// </summary>
    public string? UsersFile { get; set; }

    /// <summary>
    /// Whether the Kafka listeners' SASL users (PLAIN's users and SCRAM's credentials) authenticate here too, with the
    /// same passwords. They have no roles, so <see cref="Roles"/> must let every authenticated user in.
    /// </summary>
    public bool KafkaUsers { get; set; }

    public bool Enabled => TakesBearer || string.Equals(Method, Basic, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether bearer tokens are taken (BEARER).</summary>
    public bool TakesBearer => string.Equals(Method, Bearer, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether HTTP Basic credentials are taken: with BASIC, and with BEARER when users are given.</summary>
    public bool TakesBasic => string.Equals(Method, Basic, StringComparison.OrdinalIgnoreCase) || (TakesBearer && (Users.Count > 0 || UsersFile is not null || KafkaUsers));

    /// <summary>Why the settings of <paramref name="section"/> cannot be honoured, or null.</summary>
    public string? Invalid(string section)
    {
        if (!string.Equals(Method, None, StringComparison.OrdinalIgnoreCase) && !Enabled)
        {
            return $"{section}:Method: {Method} is not served; use BASIC, BEARER or NONE.";
        }

        if (!Enabled)
        {
            return Users.Count > 0 || UsersFile is not null || KafkaUsers ? $"{section}: users are given but Method is not BASIC or BEARER." : null;
        }

        if (UsersFile is not null && string.IsNullOrWhiteSpace(UsersFile))
        {
            return $"{section}:UsersFile is blank; name the file, or give Users instead.";
        }

        if (Users.Count > 0 && UsersFile is not null)
        {
            return $"{section}: Users and UsersFile both name users; give them in one place.";
        }

        if (Users.Count == 0 && UsersFile is null && !KafkaUsers && !TakesBearer)
        {
            return $"{section}: BASIC authentication needs Users, a UsersFile or KafkaUsers.";
        }

        var roles = Roles.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (roles.Length == 0)
        {
            return $"{section}:Roles names no role; use * to let every authenticated user in.";
        }

        if (TakesBearer && !roles.Contains("*") && !roles.Contains("**"))
        {
            return $"{section}: bearer tokens carry no roles, so with BEARER Roles must be *.";
        }

        if (KafkaUsers && !roles.Contains("*") && !roles.Contains("**"))
        {
            return $"{section}: the Kafka users have no roles, so with KafkaUsers Roles must be *.";
        }

        // The realm is written into a quoted header value: printable ASCII without quotes or backslashes.
        return Realm.Any(c => c is < ' ' or > '~' or '"' or '\\')
            ? $"{section}:Realm must be printable ASCII without a double quote or a backslash."
            : null;
    }
}

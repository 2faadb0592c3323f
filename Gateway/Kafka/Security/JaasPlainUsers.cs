using System.Text;
using System.Text.RegularExpressions;

namespace Tributary.Gateway.Kafka.Security;

/// <summary>
/// PLAIN's users as Kafka's PlainLoginModule takes them from a JAAS configuration: each <c>user_NAME="password"</c>
/// option is a user (a backslash escapes the next character in a quoted value); <c>username</c> and <c>password</c>,
/// the broker's own client credentials, are not users. So a broker's existing JAAS file serves as the users file.
/// </summary>
public static partial class JaasPlainUsers
{
    public static Dictionary<string, string> Read(string jaas)
    {
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match option in UserOption().Matches(jaas))
        {
            var password = new StringBuilder();
            var quoted = option.Groups["password"].Value;
            for (var i = 0; i < quoted.Length; i++)
            {
                password.Append(quoted[i] == '\\' && i + 1 < quoted.Length ? quoted[++i] : quoted[i]);
            }

            if (!users.TryAdd(option.Groups["user"].Value, password.ToString()))
            {
                throw new InvalidOperationException($"user_{option.Groups["user"].Value} is given more than once.");
            }
        }

        return users;
    }

    [GeneratedRegex(@"(?<![\w.])user_(?<user>[^\s="";]+)\s*=\s*""(?<password>(?:[^""\\]|\\.)*)""")]
    private static partial Regex UserOption();
}

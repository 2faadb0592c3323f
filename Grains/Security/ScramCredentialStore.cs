using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Grains.Security;

/// <summary>
/// The cluster's SCRAM credentials by user and mechanism, with Kafka's rules for changing and describing them
/// (AlterUserScramCredentials, DescribeUserScramCredentials): a user's changes in one request apply together or not
/// at all, a user named twice for one mechanism is DUPLICATE_RESOURCE, a credential removed that does not exist
/// RESOURCE_NOT_FOUND. The mechanism, iterations and name of an upsertion are checked before (they need no state).
/// Not thread-safe: its owner changes it one request at a time.
/// </summary>
public sealed class ScramCredentialStore(Dictionary<string, Dictionary<sbyte, ScramCredential>> users)
{
    /// <summary>The credentials as they are now, to be stored by the owner after a change.</summary>
    public IReadOnlyDictionary<string, Dictionary<sbyte, ScramCredential>> Users => users;

    public ScramCredential? Find(string user, sbyte mechanism) =>
        users.TryGetValue(user, out var credentials) && credentials.TryGetValue(mechanism, out var credential) ? credential : null;

    /// <summary>Applies the alterations user by user; one result per user named, in the order first named.</summary>
    public IReadOnlyList<ScramUserResult> Alter(IReadOnlyList<ScramAlteration> alterations)
    {
        var results = new List<ScramUserResult>();
        foreach (var user in alterations.GroupBy(a => a.User, StringComparer.Ordinal))
        {
            var changes = user.ToList();
            if (changes.GroupBy(c => c.Mechanism).Any(g => g.Count() > 1))
            {
                results.Add(new ScramUserResult(user.Key, ErrorCode.DuplicateResource, "A user credential cannot be altered twice in the same request"));
                continue;
            }

            if (changes.FirstOrDefault(c => c.Credential is null && Find(c.User, c.Mechanism) is null) is not null)
            {
                results.Add(new ScramUserResult(user.Key, ErrorCode.ResourceNotFound, "Attempt to delete a user credential that does not exist"));
                continue;
            }

            var credentials = users.TryGetValue(user.Key, out var known) ? known : [];
            foreach (var change in changes)
            {
                if (change.Credential is { } credential)
                {
                    credentials[change.Mechanism] = credential;
                }
                else
                {
                    credentials.Remove(change.Mechanism);
                }
            }

            if (credentials.Count > 0)
            {
                users[user.Key] = credentials;
            }
            else
            {
                users.Remove(user.Key);
            }

            results.Add(new ScramUserResult(user.Key, ErrorCode.None, null));
        }

        return results;
    }

    /// <summary>The users named (null or none: every user with a credential), each with its mechanisms or why not.</summary>
    public IReadOnlyList<ScramUser> Describe(IReadOnlyList<string>? names)
    {
        if (names is null || names.Count == 0)
        {
            return users.OrderBy(u => u.Key, StringComparer.Ordinal).Select(u => Describe(u.Key, u.Value)).ToList();
        }

        var repeated = names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        return names.Distinct(StringComparer.Ordinal).Select(name =>
            repeated.Contains(name) ? new ScramUser(name, ErrorCode.DuplicateResource, "Cannot describe SCRAM credentials for the same user twice in a single request", [])
            : users.TryGetValue(name, out var credentials) ? Describe(name, credentials)
            : new ScramUser(name, ErrorCode.ResourceNotFound, "Attempt to describe a user credential that does not exist", [])).ToList();
    }

    private static ScramUser Describe(string name, Dictionary<sbyte, ScramCredential> credentials) =>
        new(name, ErrorCode.None, null, credentials.OrderBy(c => c.Key).Select(c => new ScramCredentialInfo(c.Key, c.Value.Iterations)).ToList());
}

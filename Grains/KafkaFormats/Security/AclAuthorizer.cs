namespace Tributary.Grains.KafkaFormats.Security;

/// <summary>
/// Kafka's standard authorizer over a set of ACLs: a super user may do anything; otherwise the ACLs that apply to the
/// resource (literal on its name, literal <c>*</c>, or prefixed on a prefix of its name) and to the principal (or
/// <c>User:*</c>) and host (or <c>*</c>) decide: any DENY for the operation (or ALL) denies; else any ALLOW for it
/// allows, where an ALLOW of READ, WRITE, DELETE or ALTER also allows DESCRIBE and one of ALTER_CONFIGS allows
/// DESCRIBE_CONFIGS (a DENY implies nothing); else, when no ACL at all names the resource,
/// <c>allow.everyone.if.no.acl.found</c> decides, and when some do (for others), the answer is no.
/// <para>Immutable and thread-safe: a change of ACLs builds a new one. Finding the ACLs of a resource costs a lookup
/// per character of its name, whatever the number of ACLs.</para>
/// </summary>
public sealed class AclAuthorizer
{
    private readonly Dictionary<AclResourceType, Section> _sections = [];
    private readonly IReadOnlySet<string> _superUsers;
    private readonly bool _allowIfNoAcl;

    public AclAuthorizer(IEnumerable<AclBinding> acls, IReadOnlySet<string> superUsers, bool allowEveryoneIfNoAclFound)
    {
        _superUsers = superUsers;
        _allowIfNoAcl = allowEveryoneIfNoAclFound;
        foreach (var acl in acls)
        {
            if (!_sections.TryGetValue(acl.ResourceType, out var section))
            {
                _sections[acl.ResourceType] = section = new Section();
            }

            var byName = acl.PatternType == AclPatternType.Prefixed ? section.Prefixed : section.Literal;
            if (!byName.TryGetValue(acl.ResourceName, out var named))
            {
                byName[acl.ResourceName] = named = [];
            }

            named.Add(acl);
            section.LongestPrefix = acl.PatternType == AclPatternType.Prefixed ? Math.Max(section.LongestPrefix, acl.ResourceName.Length) : section.LongestPrefix;
        }
    }

    /// <summary>Kafka's <c>super.users</c>: principals separated by semicolons.</summary>
    public static IReadOnlySet<string> ParseSuperUsers(string? superUsers) =>
        (superUsers ?? "").Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="principal"/>, connected from <paramref name="host"/> (an address), may do <paramref name="operation"/> to the resource.</summary>
    public bool Authorize(string principal, string host, AclOperation operation, AclResourceType resourceType, string resourceName)
    {
        if (_superUsers.Contains(principal))
        {
            return true;
        }

        if (!_sections.TryGetValue(resourceType, out var section))
        {
            return _allowIfNoAcl;
        }

        var outcome = new Outcome();
        if (section.Literal.TryGetValue(resourceName, out var literal))
        {
            outcome.Apply(literal, principal, host, operation);
        }

        if (resourceName != AclBinding.Wildcard && section.Literal.TryGetValue(AclBinding.Wildcard, out var everyName))
        {
            outcome.Apply(everyName, principal, host, operation);
        }

        if (section.Prefixed.Count > 0)
        {
            var prefixes = section.Prefixed.GetAlternateLookup<ReadOnlySpan<char>>();
            for (var length = Math.Min(resourceName.Length, section.LongestPrefix); length > 0 && !outcome.Denied; length--)
            {
                if (prefixes.TryGetValue(resourceName.AsSpan(0, length), out var prefixed))
                {
                    outcome.Apply(prefixed, principal, host, operation);
                }
            }
        }

        return outcome.Denied ? false : outcome.Allowed || (!outcome.ResourceHasAcls && _allowIfNoAcl);
    }

    /// <summary>
    /// Kafka's <c>authorizeByResourceType</c>: whether <paramref name="principal"/> may do <paramref name="operation"/>
    /// to some resource of the type, as an idempotent producer needs WRITE on some topic. An ALLOW counts unless a DENY
    /// for the same principal covers all it names: a literal <c>*</c>, the same literal name, or a prefix of its name.
    /// As in Kafka, a resource no ACL names (asked as the name <c>hardcode</c>) under
    /// <c>allow.everyone.if.no.acl.found</c> is enough.
    /// </summary>
    public bool AuthorizeAny(string principal, string host, AclOperation operation, AclResourceType resourceType)
    {
        if (Authorize(principal, host, operation, resourceType, "hardcode"))
        {
            return true;
        }

        if (!_sections.TryGetValue(resourceType, out var section))
        {
            return _allowIfNoAcl;
        }

        var all = section.Literal.Values.Concat(section.Prefixed.Values).SelectMany(acls => acls)
            .Where(acl => Decide(acl, principal, host, operation) is not null && (acl.Operation == operation || acl.Operation == AclOperation.All))
            .ToList();
        var denied = all.Where(acl => acl.Permission == AclPermission.Deny).ToList();
        if (denied.Any(d => d.PatternType == AclPatternType.Literal && d.ResourceName == AclBinding.Wildcard))
        {
            return false;
        }

        return all.Where(acl => acl.Permission == AclPermission.Allow).Any(allow => !denied.Any(deny =>
            deny.PatternType == AclPatternType.Prefixed
                ? allow.ResourceName.StartsWith(deny.ResourceName, StringComparison.Ordinal) && allow.ResourceName != AclBinding.Wildcard
                : deny.ResourceName == allow.ResourceName && allow.PatternType == AclPatternType.Literal));
    }

    /// <summary>What an ACL that applies to the resource says of the request: allow, deny, or nothing (null).</summary>
    private static bool? Decide(AclBinding acl, string principal, string host, AclOperation operation)
    {
        if ((acl.Principal != principal && acl.Principal != "User:*") || (acl.Host != AclBinding.Wildcard && acl.Host != host))
        {
            return null;
        }

        var allow = acl.Permission == AclPermission.Allow;
        if (acl.Operation != AclOperation.All && acl.Operation != operation)
        {
            var implied = allow && operation switch
            {
                AclOperation.Describe => acl.Operation is AclOperation.Read or AclOperation.Write or AclOperation.Delete or AclOperation.Alter,
                AclOperation.DescribeConfigs => acl.Operation == AclOperation.AlterConfigs,
                _ => false,
            };
            if (!implied)
            {
                return null;
            }
        }

        return allow;
    }

    private sealed class Section
    {
        public Dictionary<string, List<AclBinding>> Literal { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, List<AclBinding>> Prefixed { get; } = new(StringComparer.Ordinal);

        public int LongestPrefix { get; set; }
    }

    private struct Outcome
    {
        public bool ResourceHasAcls;
        public bool Allowed;
        public bool Denied;

        public void Apply(List<AclBinding> acls, string principal, string host, AclOperation operation)
        {
            ResourceHasAcls |= acls.Count > 0;
            foreach (var acl in acls)
            {
                switch (Decide(acl, principal, host, operation))
                {
                    case true:
                        Allowed = true;
                        break;
                    case false:
                        Denied = true;
                        return;
                }
            }
        }
    }
}

using Tributary.Grains.KafkaFormats;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Grains.Security;

/// <summary>
/// The cluster's ACLs with Kafka's rules for changing and listing them (CreateAcls, DeleteAcls, DescribeAcls): a
/// binding must name a concrete resource type, pattern (LITERAL or PREFIXED), operation and permission, a principal
/// as <c>Type:name</c>, a host, and for CLUSTER the one cluster resource; creating a binding that exists changes
/// nothing; a deletion filter removes every binding it names and says which. Each change moves
/// <see cref="Version"/>, so that copies elsewhere know when to read again. A store holds one
/// <see cref="AclScope"/>'s ACLs and refuses resource types of any other, as Kafka refuses types it does not know.
/// Not thread-safe: its owner changes it one request at a time.
/// </summary>
public sealed class AclStore(IEnumerable<AclBinding> bindings, long version, AclScope scope = AclScope.Kafka)
{
    private readonly List<AclBinding> _bindings = bindings.Distinct().ToList();

    public IReadOnlyList<AclBinding> Bindings => _bindings;

    public long Version { get; private set; } = version;

    public AclScope Scope => scope;

    /// <summary>Adds each valid binding; one result per binding, in order: None, or why it was refused.</summary>
    public IReadOnlyList<(ErrorCode Error, string? Message)> Create(IReadOnlyList<AclBinding> created)
    {
        var results = new List<(ErrorCode, string?)>(created.Count);
        var changed = false;
        foreach (var binding in created)
        {
            if (Invalid(binding, scope) is { } reason)
            {
                results.Add((ErrorCode.InvalidRequest, reason));
                continue;
            }

            if (!_bindings.Contains(binding))
            {
                _bindings.Add(binding);
                changed = true;
            }

            results.Add((ErrorCode.None, null));
        }

        Version += changed ? 1 : 0;
        return results;
    }

    /// <summary>Removes what each filter names; per filter, the bindings it removed, or why the filter was refused.</summary>
    public IReadOnlyList<(ErrorCode Error, string? Message, IReadOnlyList<AclBinding> Deleted)> Delete(IReadOnlyList<AclBindingFilter> filters)
    {
        var results = new List<(ErrorCode, string?, IReadOnlyList<AclBinding>)>(filters.Count);
        foreach (var filter in filters)
        {
            if (InvalidFilter(filter) is { } reason)
            {
                results.Add((ErrorCode.InvalidRequest, reason, []));
                continue;
            }

            var deleted = _bindings.Where(filter.Matches).ToList();
            _bindings.RemoveAll(filter.Matches);
            results.Add((ErrorCode.None, null, deleted));
        }

        Version += results.Any(r => r.Item3.Count > 0) ? 1 : 0;
        return results;
    }

    /// <summary>The bindings a filter names, or why the filter is refused.</summary>
    public (ErrorCode Error, string? Message, IReadOnlyList<AclBinding> Bindings) Describe(AclBindingFilter filter) =>
        InvalidFilter(filter) is { } reason ? (ErrorCode.InvalidRequest, reason, []) : (ErrorCode.None, null, _bindings.Where(filter.Matches).ToList());

    /// <summary>Why Kafka would refuse to create <paramref name="binding"/>, or null.</summary>
    public static string? Invalid(AclBinding binding, AclScope scope = AclScope.Kafka)
    {
        if (!scope.Serves(binding.ResourceType))
        {
            return $"Invalid resourceType {TypeName(binding.ResourceType)}";
        }

        if (binding.PatternType is not (AclPatternType.Literal or AclPatternType.Prefixed))
        {
            return $"Invalid patternType {binding.PatternType}";
        }

        if (binding.Operation is AclOperation.Unknown or AclOperation.Any || !Enum.IsDefined(binding.Operation))
        {
            return $"Invalid operation {binding.Operation}";
        }

        if (binding.Permission is not (AclPermission.Allow or AclPermission.Deny))
        {
            return $"Invalid permissionType {binding.Permission}";
        }

        if (string.IsNullOrEmpty(binding.ResourceName))
        {
            return "Resource name should not be empty";
        }

        if (binding.ResourceType == AclResourceType.Cluster && binding.ResourceName != AclBinding.ClusterName)
        {
            return $"The only valid name for the CLUSTER resource is {AclBinding.ClusterName}";
        }

        if (binding.ResourceType == AclResourceType.Registry && binding.ResourceName != AclBinding.RegistryName)
        {
            return $"The only valid name for the REGISTRY resource is {AclBinding.RegistryName}";
        }

        var colon = binding.Principal.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == binding.Principal.Length - 1)
        {
            return $"Could not parse principal from `{binding.Principal}` (no colon is present separating the principal type from the principal name)";
        }

        return string.IsNullOrEmpty(binding.Host) ? "Invalid null host" : null;
    }

    private string? InvalidFilter(AclBindingFilter filter) =>
        filter.ResourceType != AclResourceType.Any && !scope.Serves(filter.ResourceType) ? $"Invalid resourceType {TypeName(filter.ResourceType)}"
        : filter.PatternType == AclPatternType.Unknown || !Enum.IsDefined(filter.PatternType) ? $"Invalid patternType {filter.PatternType}"
        : filter.Operation == AclOperation.Unknown || !Enum.IsDefined(filter.Operation) ? $"Invalid operation {filter.Operation}"
        : filter.Permission == AclPermission.Unknown || !Enum.IsDefined(filter.Permission) ? $"Invalid permissionType {filter.Permission}"
        : null;

    /// <summary>A resource type as Kafka names it; Tributary's own by number, as Kafka shows a code it does not know.</summary>
    private static string TypeName(AclResourceType type) => type > AclResourceType.User ? ((sbyte)type).ToString(System.Globalization.CultureInfo.InvariantCulture) : type.ToString();
}

using Orleans.Concurrency;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Grains.Interfaces.Security;

/// <summary>
/// The cluster's ACLs of one <see cref="AclScope"/> (the key: 0 for the Kafka listeners', 1 for the Schema
/// Registry's), in the control plane: what CreateAcls and DeleteAcls change and DescribeAcls lists.
/// Every broker keeps a copy for its authorizer and asks for the ACLs again when their version has moved.
/// </summary>
[Alias("Tributary.Security.IAclsGrain")]
public interface IAclsGrain : IGrainWithIntegerKey
{
    /// <summary>The ACLs, or null when their version is still <paramref name="knownVersion"/>.</summary>
    [Alias("GetIfChanged"), AlwaysInterleave]
    Task<AclSnapshot?> GetIfChangedAsync(long knownVersion);

    /// <summary>Adds the bindings; one outcome per binding, in order.</summary>
    [Alias("Create")]
    Task<IReadOnlyList<AclCreationOutcome>> CreateAsync(IReadOnlyList<AclBinding> bindings);

    /// <summary>Removes what each filter names; one outcome per filter, with the bindings it removed.</summary>
    [Alias("Delete")]
    Task<IReadOnlyList<AclFilterOutcome>> DeleteAsync(IReadOnlyList<AclBindingFilter> filters);

    /// <summary>The bindings the filter names.</summary>
    [Alias("Describe"), AlwaysInterleave]
    Task<AclFilterOutcome> DescribeAsync(AclBindingFilter filter);
}

using Orleans.Concurrency;
using Tributary.Grains.KafkaFormats.Quotas;

namespace Tributary.Grains.Interfaces.Security;

/// <summary>
/// The cluster's client quotas (key 0), in the control plane: what AlterClientQuotas changes and DescribeClientQuotas
/// lists. Every broker keeps a copy to enforce them and asks again when their version has moved.
/// </summary>
[Alias("Tributary.Security.IClientQuotasGrain")]
public interface IClientQuotasGrain : IGrainWithIntegerKey
{
    /// <summary>The quotas, or null when their version is still <paramref name="knownVersion"/>.</summary>
    [Alias("GetIfChanged"), AlwaysInterleave]
    Task<ClientQuotaSnapshot?> GetIfChangedAsync(long knownVersion);

    /// <summary>Applies (or with <paramref name="validateOnly"/> only checks) the entries; one outcome per entry.</summary>
    [Alias("Alter")]
    Task<IReadOnlyList<ClientQuotaAlterationOutcome>> AlterAsync(IReadOnlyList<ClientQuotaAlteration> alterations, bool validateOnly);
}

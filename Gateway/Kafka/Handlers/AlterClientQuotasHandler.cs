using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Kafka.Quotas;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Security;
using Tributary.Grains.KafkaFormats.Quotas;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// AlterClientQuotas (49): sets and removes client quotas (<c>producer_byte_rate</c>, <c>consumer_byte_rate</c>,
/// <c>request_percentage</c>, <c>controller_mutation_rate</c> of users and client ids; <c>connection_creation_rate</c>
/// of IP addresses) with Kafka's checks, each entry on its own; <c>validate_only</c> checks without changing. It needs
/// ALTER_CONFIGS on the cluster (each entry CLUSTER_AUTHORIZATION_FAILED). The broker that made the change enforces it
/// at once, the others within a second.
/// </summary>
public sealed class AlterClientQuotasHandler(IGrainFactory grains, BrokerAuthorizer authorizer, ClientQuotas quotas)
    : KafkaApiHandler<AlterClientQuotasRequest, AlterClientQuotasResponse>
{
    public override ApiKey ApiKey => ApiKey.AlterClientQuotas;

    public override short MinVersion => 0;

    public override short MaxVersion => 1;

    protected override async Task<AlterClientQuotasResponse?> HandleAsync(
        AlterClientQuotasRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        var alterations = body.Entries.Select(e => new ClientQuotaAlteration(
            [.. e.Entity.Select(p => new ClientQuotaEntityPart(p.EntityType, p.EntityName))],
            [.. e.Ops.Select(o => new ClientQuotaOperation(o.Key, o.Value, o.Remove))])).ToList();
        IReadOnlyList<ClientQuotaAlterationOutcome> outcomes;
        if (!authorizer.Authorize(request, AclOperation.AlterConfigs, AclResourceType.Cluster, AclBinding.ClusterName))
        {
            outcomes = alterations
                .Select(a => new ClientQuotaAlterationOutcome(a.Entity, Grains.KafkaFormats.ErrorCode.ClusterAuthorizationFailed, "Cluster authorization failed."))
                .ToList();
        }
        else
        {
            outcomes = await grains.GetGrain<IClientQuotasGrain>(0).AlterAsync(alterations, body.ValidateOnly);
            if (!body.ValidateOnly)
            {
                try
                {
                    await quotas.RefreshAsync(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The change is made: this broker reads it with its next refresh, within a second.
                }
            }
        }

        return new AlterClientQuotasResponse
        {
            Entries = outcomes.Select(o => new AlterClientQuotasResponse.EntryData
            {
                ErrorCode = (short)o.Error,
                ErrorMessage = o.Message,
                Entity = o.Entity.Select(p => new AlterClientQuotasResponse.EntityData { EntityType = p.Type, EntityName = p.Name }).ToList(),
            }).ToList(),
        };
    }
}

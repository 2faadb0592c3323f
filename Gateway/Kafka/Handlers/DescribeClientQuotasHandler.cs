using Tributary.Gateway.Kafka.Acls;
using Tributary.Gateway.Protocol.Messages;
using Tributary.Grains.Interfaces.Security;
using Tributary.Grains.KafkaFormats.Quotas;
using Tributary.Grains.KafkaFormats.Security;

namespace Tributary.Gateway.Kafka.Handlers;

/// <summary>
/// DescribeClientQuotas (48): the quota entities a filter selects, with their values, as Kafka's
/// <c>ClientQuotasImage.describe</c> selects them (exact, default and any-specified components; strict filters). It needs
/// DESCRIBE_CONFIGS on the cluster (CLUSTER_AUTHORIZATION_FAILED).
/// </summary>
public sealed class DescribeClientQuotasHandler(IGrainFactory grains, BrokerAuthorizer authorizer)
    : KafkaApiHandler<DescribeClientQuotasRequest, DescribeClientQuotasResponse>
{
    public override ApiKey ApiKey => ApiKey.DescribeClientQuotas;

    public override short MinVersion => 0;

    public override short MaxVersion => 1;

    protected override async Task<DescribeClientQuotasResponse?> HandleAsync(
        DescribeClientQuotasRequest body, KafkaRequest request, CancellationToken cancellationToken)
    {
        if (!authorizer.Authorize(request, AclOperation.DescribeConfigs, AclResourceType.Cluster, AclBinding.ClusterName))
        {
            return new DescribeClientQuotasResponse
            {
                ErrorCode = (short)Grains.KafkaFormats.ErrorCode.ClusterAuthorizationFailed,
                ErrorMessage = "Cluster authorization failed.",
                Entries = null!,
            };
        }

        var snapshot = await grains.GetGrain<IClientQuotasGrain>(0).GetIfChangedAsync(-1);
        var components = body.Components
            .Select(c => new ClientQuotaFilterComponent(c.EntityType, (ClientQuotaMatchType)c.MatchType, c.Match))
            .ToList();
        var (error, message, entries) = ClientQuotaFilter.Describe(snapshot?.Entries ?? [], components, body.Strict);
        if (error != Grains.KafkaFormats.ErrorCode.None)
        {
            return new DescribeClientQuotasResponse { ErrorCode = (short)error, ErrorMessage = message, Entries = null! };
        }

        return new DescribeClientQuotasResponse
        {
            Entries = entries.Select(entry => new DescribeClientQuotasResponse.EntryData
            {
                Entity = entry.Entity.Parts()
                    .Select(p => new DescribeClientQuotasResponse.EntityData { EntityType = p.Type, EntityName = p.Name })
                    .ToList(),
                Values = entry.Values.Select(v => new DescribeClientQuotasResponse.ValueData { Key = v.Key, Value = v.Value }).ToList(),
            }).ToList(),
        };
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tributary.Gateway.Kafka.Brokers;
using Tributary.Gateway.Kafka.Fetching;
using Tributary.Gateway.Kafka.Handlers;
using Tributary.Gateway.Kafka.Loggers;
using Tributary.Gateway.Kafka.Partitions;
using Tributary.Gateway.Kafka.Security;
using Tributary.Gateway.Kafka.Topics;
using Tributary.Grains.Interfaces.Brokers;

namespace Tributary.Gateway.Kafka;

public static class KafkaGatewayServiceCollectionExtensions
{
    /// <summary>
    /// The Kafka protocol gateway: the connection handler, one handler per API, the listener's settings as static broker
    /// configs and the loggers of BROKER_LOGGER. It needs the broker's <see cref="IBrokerConfigs"/> (the silo's).
    /// </summary>
    public static IServiceCollection AddKafkaGateway(this IServiceCollection services)
    {
        services.AddOptions<KafkaListenerOptions>();
        services.AddSingleton<KafkaApis>();
        services.AddSingleton<TopicCache>();
        services.AddSingleton<Quotas.ClientQuotas>();
        services.AddSingleton<Quotas.ControllerMutationQuota>();
        services.AddSingleton<ClusterBrokers>();
        services.AddSingleton<BrokerRegistration>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<BrokerRegistration>());
        services.AddSingleton<QueuedRequestBytes>();
        services.AddSingleton<Metrics.BrokerTopicMetrics>();
        services.AddSingleton<Metrics.RequestMetrics>();
        services.AddSingleton<Metrics.SocketServerMetrics>();
        services.AddOptions<KafkaSaslOptions>();
        services.AddSingleton<SaslMechanisms>();
        services.AddSingleton<Http.Authentication.ISaslUsers, SaslUsers>();
        services.AddOptions<Acls.KafkaAuthorizerOptions>();
        services.AddSingleton<Acls.BrokerAuthorizer>();
        services.AddSingleton<JwksKeys>();
        services.AddSingleton<Http.Authentication.IBearerTokens>(provider => new JwtValidator(
            provider.GetRequiredService<IOptions<KafkaSaslOptions>>().Value.OAuthBearer, provider.GetRequiredService<JwksKeys>(), provider.GetRequiredService<TimeProvider>()));
        services.AddHttpClient(nameof(JwksKeys), client =>
        {
            client.Timeout = JwksKeys.ReadTimeout;
            // A key set is a few kilobytes; an endpoint that answers more is not one to hold in memory.
            client.MaxResponseContentBufferSize = JwksKeys.MaxResponseBytes;
        });
        services.AddSingleton<KafkaConnectionHandler>();
        services.AddSingleton<IStaticBrokerConfigSource, ListenerStaticConfigs>();
        services.AddSingleton<LoggerCategories>();
        services.AddSingleton<ILoggerProvider>(sp => sp.GetRequiredService<LoggerCategories>());
        services.AddSingleton<LoggerLevelOverrides>();
        services.AddSingleton<IPostConfigureOptions<LoggerFilterOptions>>(sp => sp.GetRequiredService<LoggerLevelOverrides>());
        services.AddSingleton<IOptionsChangeTokenSource<LoggerFilterOptions>>(sp => sp.GetRequiredService<LoggerLevelOverrides>());
        services.AddSingleton<BrokerLoggers>();
        services.AddSingleton<IKafkaApiHandler, ApiVersionsHandler>();
        services.AddSingleton<IKafkaApiHandler, SaslHandshakeHandler>();
        services.AddSingleton<IKafkaApiHandler, SaslAuthenticateHandler>();
        services.AddSingleton<IKafkaApiHandler, DescribeUserScramCredentialsHandler>();
        services.AddSingleton<IKafkaApiHandler, AlterUserScramCredentialsHandler>();
        services.AddSingleton<IKafkaApiHandler, DescribeAclsHandler>();
        services.AddSingleton<IKafkaApiHandler, CreateAclsHandler>();
        services.AddSingleton<IKafkaApiHandler, DeleteAclsHandler>();
        services.AddSingleton<IKafkaApiHandler, DescribeClientQuotasHandler>();
        services.AddSingleton<IKafkaApiHandler, AlterClientQuotasHandler>();
        services.AddSingleton<IKafkaApiHandler, MetadataHandler>();
        services.AddSingleton<IKafkaApiHandler, ProduceHandler>();
        services.AddSingleton<IKafkaApiHandler, FetchHandler>();
        services.AddSingleton<IKafkaApiHandler, ListOffsetsHandler>();
        services.AddSingleton<IKafkaApiHandler, FindCoordinatorHandler>();
        services.AddSingleton<IKafkaApiHandler, OffsetForLeaderEpochHandler>();
        services.AddSingleton<IKafkaApiHandler, DescribeClusterHandler>();
        services.AddSingleton<IKafkaApiHandler, DescribeTopicPartitionsHandler>();
        services.AddSingleton<IKafkaApiHandler, CreateTopicsHandler>();
        services.AddSingleton<IKafkaApiHandler, DeleteTopicsHandler>();
        services.AddSingleton<IKafkaApiHandler, CreatePartitionsHandler>();
        services.AddSingleton<IKafkaApiHandler, DescribeConfigsHandler>();
        services.AddSingleton<IKafkaApiHandler, AlterConfigsHandler>();
        services.AddSingleton<IKafkaApiHandler, IncrementalAlterConfigsHandler>();
        services.AddSingleton<IKafkaApiHandler, DeleteRecordsHandler>();
        services.AddSingleton<IKafkaApiHandler, ElectLeadersHandler>();
        services.AddSingleton<IKafkaApiHandler, AlterPartitionReassignmentsHandler>();
        services.AddSingleton<IKafkaApiHandler, ListPartitionReassignmentsHandler>();
        services.AddSingleton<IKafkaApiHandler, DescribeLogDirsHandler>();
        services.AddSingleton<IKafkaApiHandler, ListClientMetricsResourcesHandler>();
        services.AddSingleton<IKafkaApiHandler, JoinGroupHandler>();
        services.AddSingleton<IKafkaApiHandler, SyncGroupHandler>();
        services.AddSingleton<IKafkaApiHandler, HeartbeatHandler>();
        services.AddSingleton<IKafkaApiHandler, LeaveGroupHandler>();
        services.AddSingleton<IKafkaApiHandler, OffsetCommitHandler>();
        services.AddSingleton<IKafkaApiHandler, OffsetFetchHandler>();
        services.AddSingleton<IKafkaApiHandler, ListGroupsHandler>();
        services.AddSingleton<IKafkaApiHandler, DescribeGroupsHandler>();
        services.AddSingleton<IKafkaApiHandler, DeleteGroupsHandler>();
        services.AddSingleton<IKafkaApiHandler, OffsetDeleteHandler>();
        services.AddSingleton<IKafkaApiHandler, InitProducerIdHandler>();
        services.AddSingleton<IKafkaApiHandler, AddPartitionsToTxnHandler>();
        services.AddSingleton<IKafkaApiHandler, AddOffsetsToTxnHandler>();
        services.AddSingleton<IKafkaApiHandler, EndTxnHandler>();
        services.AddSingleton<IKafkaApiHandler, TxnOffsetCommitHandler>();
        services.AddSingleton<IKafkaApiHandler, DescribeTransactionsHandler>();
        services.AddSingleton<IKafkaApiHandler, ListTransactionsHandler>();
        services.AddSingleton<IKafkaApiHandler, DescribeProducersHandler>();
        services.AddSingleton<PartitionRouter>();
        services.AddSingleton<LeaderDiscovery>();
        services.AddSingleton<FetchSessionCache>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}

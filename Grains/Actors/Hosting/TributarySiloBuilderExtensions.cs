using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Tributary.Grains.Interfaces.Brokers;
using Orleans.Storage;
using Tributary.Grains.Actors.Brokers;
using Tributary.Grains.Actors.Partitions;
using Tributary.Grains.Actors.Persistence;
using Tributary.Grains.Actors.Placement;
using Tributary.Grains.Actors.Replication;
using Tributary.Grains.Storage;
using Tributary.Grains.Actors.Transactions;

namespace Tributary.Grains.Actors.Hosting;

public static class TributarySiloBuilderExtensions
{
    /// <summary>
    /// Makes this silo a Tributary broker: its broker id (published as the silo name), the log manager over its data
    /// directory, partition placement, retention, and its copy of the dynamic broker configs. Grain storage is added separately, per deployment.
    /// </summary>
    public static ISiloBuilder AddTributaryBroker(this ISiloBuilder builder, Action<TributaryOptions>? configure = null)
    {
        var services = builder.Services;
        var options = services.AddOptions<TributaryOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddOptions<SiloOptions>()
            .PostConfigure<IOptions<TributaryOptions>>((silo, tributary) => silo.SiloName = BrokerNames.SiloName(tributary.Value.BrokerId));
        services.AddOptions<GrainCollectionOptions>()
            .Configure<IOptions<TributaryOptions>>((collection, tributary) =>
            {
                collection.ClassSpecificCollectionAge[typeof(PartitionGrain).FullName!] = tributary.Value.PartitionIdleTimeout;

                // A consumer instance lives in memory: it must outlast its own idle timeout, which ends it.
                collection.ClassSpecificCollectionAge[typeof(RestProxy.RestConsumerGrain).FullName!] =
                    tributary.Value.RestProxy.ConsumerInstanceTimeout + TimeSpan.FromMinutes(1);
            });

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new LogManager(
            sp.GetRequiredService<IOptions<TributaryOptions>>().Value.PartitionDataDirectory,
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<IOptions<TributaryOptions>>().Value.NumRecoveryThreadsPerDataDir)
        {
            FlushStats = new Tributary.Grains.Storage.Log.LogFlushStats(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
        });
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, LogManagerLifecycle>();
        services.AddSingleton<Metrics.LogMetrics>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<Metrics.LogMetrics>());
        services.AddHostedService<Metrics.ConsumerLagMonitor>();
        services.AddHostedService<Metrics.ReplicaMetrics>();
        services.AddSingleton<Metrics.GroupCoordinatorMetrics>();
        services.AddSingleton<Metrics.IsrChangeMetrics>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, TransactionRecovery>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, Topics.TopicDeletionRecovery>();
        services.AddSingleton<LiveBrokers>();
        services.AddSingleton<LocalLeaders>();
        services.AddSingleton<ReplicationQuotas>();
        services.AddSingleton<ReplicaManager>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ReplicaManager>());
        services.AddSingleton<ReplicaSyncCheck>();
        services.AddSingleton<BrokerRetirement>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ReplicationController>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ClusterBalancer>();
        services.AddSingleton<IStaticBrokerConfigSource, BrokerStaticConfigs>();
        services.AddSingleton<LocalBrokerConfigs>();
        services.AddSingleton<IBrokerConfigs>(sp => sp.GetRequiredService<LocalBrokerConfigs>());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<LocalBrokerConfigs>());
        services.AddSingleton<Connect.ConnectWorker>();
        services.AddSingleton<Connect.LocalConnectTasks>();
        services.AddSingleton<Tributary.Grains.Connect.Runtime.Metrics.ConnectMetrics>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, Connect.ConnectShutdown>();
        services.AddHostedService<Connect.ConnectKeeper>();
        services.AddHostedService<Connect.ConnectorConfigFiles>();
        services.AddHostedService<RetentionSweeper>();
        services.AddHostedService<RecoveryPointCheckpointer>();
        services.AddHostedService<LogCleanerService>();
        services.AddHostedService<TransactionalIdExpiry>();
        builder.AddPlacementDirector<PartitionPlacement, PartitionPlacementDirector>();
        builder.AddPlacementDirector<BrokerPlacement, BrokerPlacementDirector>();
        return builder;
    }

    /// <summary>
    /// Control-plane state (topics, groups, schemas) and transaction coordinators' state in two append-only state logs
    /// under the data directory (<see cref="LogGrainStorage"/>): the embedded, single-broker default. Control-plane
    /// writes are fsynced (sharing fsyncs); coordinators' writes only with
    /// <see cref="TransactionCoordinatorOptions.SyncStateWrites"/>.
    /// </summary>
    public static ISiloBuilder AddTributaryLocalGrainStorage(this ISiloBuilder builder)
    {
        builder.Services.AddGrainStorage(GrainStorageNames.ControlPlane, (sp, name) => new LogGrainStorage(
            name,
            sp.GetRequiredService<IOptions<TributaryOptions>>().Value.ResolvedGrainStateDirectory,
            new OrleansGrainStorageSerializer(sp.GetRequiredService<Orleans.Serialization.Serializer>()),
            durable: true));
        builder.Services.AddGrainStorage(GrainStorageNames.Transactions, (sp, name) =>
        {
            var options = sp.GetRequiredService<IOptions<TributaryOptions>>().Value;
            return new LogGrainStorage(
                name,
                options.ResolvedGrainStateDirectory,
                new OrleansGrainStorageSerializer(sp.GetRequiredService<Orleans.Serialization.Serializer>()),
                durable: options.Transactions.SyncStateWrites);
        });
        return builder;
    }
}

using System.Net;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;
using StackExchange.Redis;
using Tributary.Grains.Actors.Hosting;
using Tributary.Grains.Actors.Persistence;

namespace Tributary.Silo.Cluster;

/// <summary>
/// Joins the silo to its cluster and gives it a control-plane store, as <see cref="ClusterModeOptions"/> say: the
/// embedded localhost silo with files, or Redis / Azure Table membership with a shared store.
/// </summary>
public static class ClusterSiloBuilderExtensions
{
    public static ISiloBuilder UseTributaryCluster(this ISiloBuilder silo, ClusterModeOptions cluster, IConfigurationSection orleans)
    {
        if (cluster.Validate() is { } error)
        {
            throw new InvalidOperationException(error);
        }

        var siloPort = orleans.GetValue("SiloPort", 11111);
        var gatewayPort = orleans.GetValue("GatewayPort", 30000);
        if (cluster.Membership == MembershipKind.Localhost)
        {
            silo.UseLocalhostClustering(siloPort, gatewayPort);
        }
        else
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = orleans.GetValue("ClusterId", "tributary")!;
                options.ServiceId = orleans.GetValue("ServiceId", "tributary")!;
            });
            var advertised = orleans["AdvertisedIP"] is { Length: > 0 } ip ? IPAddress.Parse(ip) : IPAddress.Loopback;
            silo.ConfigureEndpoints(advertised, siloPort, gatewayPort, listenOnAnyHostAddress: true);
            UseMembership(silo, cluster);
        }

        // Failure detection tuned so that a dead silo is declared dead in seconds (Orleans' defaults take about
        // 15-30 s); each value can be set under Orleans:Membership.
        silo.Configure<ClusterMembershipOptions>(options =>
        {
            options.ProbeTimeout = TimeSpan.FromSeconds(2);
            options.NumMissedProbesLimit = 2;
            options.NumVotesForDeathDeclaration = 2;
            options.TableRefreshTimeout = TimeSpan.FromSeconds(10);
            orleans.GetSection("Membership").Bind(options);
        });

        // Orleans' messaging settings (its default response timeout, 30 s, among them) under Orleans:Messaging. The
        // calls that may rightly wait longer carry their own timeout (LongCalls), whatever this one says.
        silo.Configure<SiloMessagingOptions>(orleans.GetSection("Messaging"));

        return AddGrainStorage(silo, cluster);
    }

    private static void UseMembership(ISiloBuilder silo, ClusterModeOptions cluster)
    {
        switch (cluster.Membership)
        {
            case MembershipKind.Redis:
                silo.UseRedisClustering(options => options.ConfigurationOptions = RedisConfiguration(cluster.ConnectionString!));
                break;
            case MembershipKind.AzureTable:
                silo.UseAzureStorageClustering(options => options.TableServiceClient = new TableServiceClient(cluster.ConnectionString!));
                break;
        }
    }

    private static ISiloBuilder AddGrainStorage(ISiloBuilder silo, ClusterModeOptions cluster)
    {
        if (cluster.EffectiveStorage == GrainStorageKind.File)
        {
            return silo.AddTributaryLocalGrainStorage();
        }

        var connection = cluster.EffectiveStorageConnectionString!;
        foreach (var name in new[] { GrainStorageNames.ControlPlane, GrainStorageNames.Transactions })
        {
            switch (cluster.EffectiveStorage)
            {
                case GrainStorageKind.Redis:
                    silo.AddRedisGrainStorage(name, options => options.Configure<IServiceProvider>((redis, services) =>
                    {
                        redis.ConfigurationOptions = RedisConfiguration(connection);
                        redis.GrainStorageSerializer = BinarySerializer(services);
                    }));
                    break;
                case GrainStorageKind.AzureBlob:
                    silo.AddAzureBlobGrainStorage(name, options => options.Configure<IServiceProvider>((blob, services) =>
                    {
                        blob.BlobServiceClient = new BlobServiceClient(connection);
                        blob.ContainerName = name;
                        blob.GrainStorageSerializer = BinarySerializer(services);
                    }));
                    break;
                case GrainStorageKind.AzureTable:
                    silo.AddAzureTableGrainStorage(name, (OptionsBuilder<AzureTableStorageOptions> options) => options.Configure<IServiceProvider>((table, services) =>
                    {
                        table.TableServiceClient = new TableServiceClient(connection);
                        table.TableName = name.Replace("-", "", StringComparison.Ordinal);
                        table.GrainStorageSerializer = BinarySerializer(services);
                    }));
                    break;
            }
        }

        return silo;
    }

    // State types are Orleans-serializable (they cross grain boundaries or are written by the file store the same
    // way); the binary form keeps every store byte-for-byte what the embedded store writes.
    private static IGrainStorageSerializer BinarySerializer(IServiceProvider services) =>
        new OrleansGrainStorageSerializer(services.GetRequiredService<Orleans.Serialization.Serializer>());

    private static ConfigurationOptions RedisConfiguration(string connection)
    {
        var options = ConfigurationOptions.Parse(connection);
        options.AbortOnConnectFail = false;
        return options;
    }
}

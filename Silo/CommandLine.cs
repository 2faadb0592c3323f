namespace Tributary.Silo;

/// <summary>The command-line switches, each a shortcut for a configuration key.</summary>
public static class CommandLine
{
    public static readonly Dictionary<string, string> Switches = new(StringComparer.Ordinal)
    {
        ["--data-dir"] = "Tributary:DataDirectory",
        ["--broker-id"] = "Tributary:BrokerId",
        ["--rack"] = "Tributary:Rack",
        ["--default-replication-factor"] = "Tributary:DefaultReplicationFactor",
        ["--min-insync-replicas"] = "Tributary:MinInSyncReplicas",
        ["--silo-port"] = "Orleans:SiloPort",
        ["--gateway-port"] = "Orleans:GatewayPort",
        ["--kafka-port"] = "Tributary:Kafka:Port",
        ["--advertised-host"] = "Tributary:Kafka:AdvertisedHost",
        ["--advertised-port"] = "Tributary:Kafka:AdvertisedPort",
        ["--registry-port"] = "Tributary:SchemaRegistry:Port",
        ["--rest-port"] = "Tributary:RestProxy:Port",
        ["--connect-port"] = "Tributary:Connect:Port",
        ["--health-port"] = "Tributary:Health:Port",
        ["--membership"] = "Tributary:Cluster:Membership",
        ["--cluster-connection"] = "Tributary:Cluster:ConnectionString",
        ["--storage"] = "Tributary:Cluster:Storage",
        ["--storage-connection"] = "Tributary:Cluster:StorageConnectionString",
        ["--advertised-ip"] = "Orleans:AdvertisedIP",
    };
}

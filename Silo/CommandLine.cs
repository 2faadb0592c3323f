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

    /// <summary>The switch that may repeat: each <c>--connector-config FILE</c> names one connector config file.</summary>
    public const string ConnectorConfig = "--connector-config";

    /// <summary>
    /// The arguments with each <c>--connector-config FILE</c> turned into its own indexed configuration key, since a
    /// switch mapping keeps only a switch's last value.
    /// </summary>
    public static string[] ExpandRepeatable(string[] args)
    {
        var expanded = new List<string>(args.Length);
        var index = 0;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == ConnectorConfig && i + 1 < args.Length)
            {
                expanded.Add($"--Tributary:Connect:ConnectorConfigFiles:{index++}");
                expanded.Add(args[++i]);
            }
            else
            {
                expanded.Add(args[i]);
            }
        }

        return [.. expanded];
    }
}

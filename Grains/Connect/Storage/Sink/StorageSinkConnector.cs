using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Connector;
using Tributary.Grains.Connect.Api.Plugins;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Storage.Formats;
using Tributary.Grains.Connect.Storage.Partitioner;
using Tributary.Grains.Connect.Storage.Stores;

namespace Tributary.Grains.Connect.Storage.Sink;

/// <summary>
/// The storage sink: topics to time-partitioned Parquet, Avro, JSON, text or raw files in a store, exactly once. It
/// answers to the class names of Confluent's HDFS 2 and HDFS 3 sinks and of its Azure Blob Storage and ADLS Gen2
/// sinks, so their configurations run unchanged where the store is one served here. The connector checks the
/// configuration and hands it whole to every task; the runtime spreads the partitions over them.
/// </summary>
[ConnectPlugin(
    "io.confluent.connect.hdfs.HdfsSinkConnector",
    "io.confluent.connect.hdfs3.Hdfs3SinkConnector",
    "io.confluent.connect.azure.blob.AzureBlobStorageSinkConnector",
    "io.confluent.connect.azure.datalake.gen2.AzureDataLakeGen2SinkConnector")]
public sealed class StorageSinkConnector : SinkConnector
{
    /// <summary>The kafka-connect-hdfs release whose configuration and file layout the sink follows.</summary>
    public const string ConnectorVersion = "10.2.0";

    private IReadOnlyDictionary<string, string> _properties = new Dictionary<string, string>();

    public override string Version => ConnectorVersion;

    public override Type TaskType => typeof(StorageSinkTask);

    public override ConfigDef Config => StorageSinkConfig.Definition;

    public override Task StartAsync(IReadOnlyDictionary<string, string> properties, CancellationToken cancellationToken)
    {
        // Fails the connector now on a configuration its tasks could not start with.
        var config = StorageSinkConfig.Parse(properties);
        Storages.Create(config);
        RecordWriterProviders.Create(config);
        Partitioners.Create(properties);
        _properties = new Dictionary<string, string>(properties, StringComparer.Ordinal);
        return Task.CompletedTask;
    }

    public override IReadOnlyList<IReadOnlyDictionary<string, string>> TaskConfigs(int maxTasks) =>
        [.. Enumerable.Repeat(_properties, Math.Max(maxTasks, 0))];

    public override Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Kafka's per-key validation, then, when every key is valid on its own, what only the keys together say: the
    /// store its URL and storage class name, the format with its codec, the partitioner with its settings, Hive's
    /// need of a schema compatibility; each error on the key it names.
    /// </summary>
    public override IReadOnlyList<ConfigValue> Validate(IReadOnlyDictionary<string, string> connectorConfigs)
    {
        var values = base.Validate(connectorConfigs);
        if (values.Any(v => v.ErrorMessages.Count > 0))
        {
            return values;
        }

        foreach (var check in new Action[]
        {
            () => Storages.Create(StorageSinkConfig.Parse(connectorConfigs)),
            () => RecordWriterProviders.Create(StorageSinkConfig.Parse(connectorConfigs)),
            () => Partitioners.Create(connectorConfigs),
        })
        {
            try
            {
                check();
            }
            catch (ConfigException e)
            {
                var value = values.FirstOrDefault(v => v.Name == e.Name) ?? values.First(v => v.Name == StorageSinkConfig.StoreUrlConfig);
                if (!value.ErrorMessages.Contains(e.Message))
                {
                    value.AddErrorMessage(e.Message);
                }
            }
        }

        return values;
    }
}

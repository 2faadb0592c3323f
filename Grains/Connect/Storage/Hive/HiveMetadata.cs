using System.Text;
using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Avro.Data;
using Tributary.Grains.Connect.Storage.Sink;
using Tributary.Grains.Connect.Storage.Stores;

namespace Tributary.Grains.Connect.Storage.Hive;

/// <summary>
/// <c>hive.integration=true</c> without a metastore: what the HDFS connector would tell Hive's metastore is kept beside
/// the data as HiveQL, in <c>&lt;topics.dir&gt;/&lt;topic&gt;/_hive/</c> (a directory that Hive, Spark and DuckDB's globs
/// over the data files skip): <c>table.sql</c>, the <c>CREATE EXTERNAL TABLE</c> of the topic's current schema with its
/// partition columns, format and location, replaced when the schema changes; and <c>partitions-&lt;kafka
/// partition&gt;.sql</c>, one <c>ALTER TABLE … ADD IF NOT EXISTS PARTITION</c> per directory that Kafka partition has
/// committed files into (one file per Kafka partition, as each is written by one task). Running the table file, then
/// the partition files, in Hive's beeline or Spark SQL makes the files a table. Each file is written whole and then
/// put in place; a crash between the two leaves the previous version or none, and the next commit writes it again.
/// Not thread-safe: one partition writer uses it.
/// </summary>
public sealed class HiveMetadata
{
    private readonly StorageSinkConfig _config;
    private readonly IStorage _storage;
    private readonly Partitioner.Partitioner _partitioner;
    private readonly string _topic;
    private readonly int _kafkaPartition;
    private readonly string _storedAs;
    private readonly HashSet<string> _partitions = new(StringComparer.Ordinal);
    private Schema? _tableSchema;
    private bool _rewritePartitions;

    public HiveMetadata(StorageSinkConfig config, IStorage storage, Partitioner.Partitioner partitioner, string formatExtension, string topic, int kafkaPartition)
    {
        _config = config;
        _storage = storage;
        _partitioner = partitioner;
        _topic = topic;
        _kafkaPartition = kafkaPartition;
        _storedAs = formatExtension switch
        {
            ".parquet" => "STORED AS PARQUET",
            ".avro" => "STORED AS AVRO",
            ".json" => "ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe' STORED AS TEXTFILE",
            _ => throw new ConfigException(StorageSinkConfig.HiveIntegrationConfig, "true",
                $"Hive tables are kept for the Parquet, Avro and JSON formats, not for {formatExtension} files."),
        };
        _ = partitioner.PartitionFields; // a path format that is not Hive style fails now
    }

    public string Directory => $"{_config.TopicsDir}/{_topic}/_hive";

    /// <summary>The table name: <c>hive.table.name</c> with the topic for <c>${topic}</c>.</summary>
    public string Table => _config.HiveTableName.Replace("${topic}", _topic, StringComparison.Ordinal);

    /// <summary>Records the schema of the files just committed and the directories they went to.</summary>
    public async Task CommittedAsync(Schema? schema, IEnumerable<string> encodedPartitions, CancellationToken cancellationToken)
    {
        if (schema is not null && !Equals(schema, _tableSchema))
        {
            await ReplaceAsync($"{Directory}/table.sql", CreateTable(schema), cancellationToken).ConfigureAwait(false);
            _tableSchema = schema;
        }

        var before = _partitions.Count;
        _partitions.UnionWith(encodedPartitions);
        if (_partitions.Count != before || _rewritePartitions)
        {
            _rewritePartitions = false;
            var text = new StringBuilder();
            foreach (var encoded in _partitions.Order(StringComparer.Ordinal))
            {
                text.Append(AddPartition(encoded)).Append('\n');
            }

            await ReplaceAsync($"{Directory}/partitions-{_kafkaPartition}.sql", text.ToString(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Learns the directories this Kafka partition's committed files are in (the partition file is rewritten whole at the
    /// next commit), and deletes the metadata files it was writing when it stopped.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        var topicDirectory = $"{_config.TopicsDir}/{_topic}/";
        var dead = new List<string>();
        _tableSchema = null;
        _partitions.Clear();
        _rewritePartitions = true;
        await foreach (var path in _storage.ListAsync(topicDirectory, cancellationToken).ConfigureAwait(false))
        {
            var slash = path.LastIndexOf('/');
            var name = path[(slash + 1)..];
            if (path.StartsWith(Directory + "/", StringComparison.Ordinal))
            {
                if (name.EndsWith(".tmp", StringComparison.Ordinal) && name.Contains($".{_kafkaPartition}.", StringComparison.Ordinal))
                {
                    dead.Add(path);
                }
            }
            else if (Files.CommittedFileName.TryParse(name, out var committed) && committed.Topic == _topic &&
                     committed.Partition == _kafkaPartition && slash > topicDirectory.Length)
            {
                _partitions.Add(path[topicDirectory.Length..slash]);
            }
        }

        foreach (var path in dead)
        {
            await _storage.DeleteAsync(path, cancellationToken).ConfigureAwait(false);
        }
    }

    private string CreateTable(Schema schema)
    {
        if (schema.Type != SchemaType.Struct)
        {
            throw new DataException($"Hive tables need struct values: {schema}");
        }

        var partitionFields = _partitioner.PartitionFields;
        var columns = schema.Fields.Where(f => !partitionFields.Contains(f.Name)).Select(f => $"  `{f.Name}` {HiveTypes.Of(f.Schema)}");
        var text = new StringBuilder()
            .Append("-- The table of topic ").Append(_topic).Append(", schema version ").Append(schema.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none").Append('\n')
            .Append($"CREATE EXTERNAL TABLE IF NOT EXISTS `{_config.HiveDatabase}`.`{Table}` (\n")
            .Append(string.Join(",\n", columns)).Append("\n)\n")
            .Append("PARTITIONED BY (").Append(string.Join(", ", partitionFields.Select(f => $"`{f}` STRING"))).Append(")\n")
            .Append(_storedAs).Append('\n')
            .Append("LOCATION '").Append(Location($"{_config.TopicsDir}/{_topic}")).Append('\'');
        if (_storedAs == "STORED AS AVRO")
        {
            var avro = new AvroData(AvroDataConfig.Defaults).FromConnectSchema(schema).Json;
            text.Append("\nTBLPROPERTIES ('avro.schema.literal'='").Append(avro.Replace("'", "\\'", StringComparison.Ordinal)).Append("')");
        }

        return text.Append(";\n").ToString();
    }

    private string AddPartition(string encoded)
    {
        var spec = encoded.Split(_partitioner.Delimiter).Select(part =>
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            return $"`{part[..equals]}`='{part[(equals + 1)..].Replace("'", "\\'", StringComparison.Ordinal)}'";
        });
        return $"ALTER TABLE `{_config.HiveDatabase}`.`{Table}` ADD IF NOT EXISTS PARTITION ({string.Join(", ", spec)}) " +
               $"LOCATION '{Location($"{_config.TopicsDir}/{_partitioner.GeneratePartitionedPath(_topic, encoded)}")}';";
    }

    private string Location(string path) => _storage.Url.TrimEnd('/') + "/" + path;

    private async Task ReplaceAsync(string path, string text, CancellationToken cancellationToken)
    {
        var temp = $"{path}.{_kafkaPartition}.{Guid.NewGuid():N}.tmp";
        await using (var stream = await _storage.CreateAsync(temp, cancellationToken).ConfigureAwait(false))
        {
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        }

        await _storage.DeleteAsync(path, cancellationToken).ConfigureAwait(false);
        await _storage.CommitAsync(temp, path, cancellationToken).ConfigureAwait(false);
    }
}

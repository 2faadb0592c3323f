using System.Globalization;
using Avro;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Tributary.Tests.Gateway.Support;
using Tributary.Tests.TestKit;

namespace Tributary.Tests.Gateway.Connect.Storage;

/// <summary>
/// The storage sink on the platform, configured as for Confluent's HDFS and Azure Blob Storage sinks: Avro records
/// (Confluent's serializer, the Schema Registry, the AvroConverter) into hourly Parquet files that DuckDB reads as a
/// Hive-partitioned table; schema evolution through the registry; a record without its time field in the DLQ.
/// </summary>
public sealed class StorageSinkTests(ConnectBrokerFixture fixture) : IClassFixture<ConnectBrokerFixture>, IDisposable
{
    private const string OrderV1 = """
        {"type":"record","name":"Order","namespace":"shop","fields":[
          {"name":"id","type":"long"},{"name":"name","type":"string"},
          {"name":"ts","type":{"type":"long","logicalType":"timestamp-millis"}}]}
        """;

    private const string OrderV2 = """
        {"type":"record","name":"Order","namespace":"shop","fields":[
          {"name":"id","type":"long"},{"name":"name","type":"string"},
          {"name":"ts","type":{"type":"long","logicalType":"timestamp-millis"}},
          {"name":"note","type":"string","default":"none"}]}
        """;

    private static readonly DateTimeOffset Hour0 = new(2024, 5, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly string _store = Directory.CreateTempSubdirectory("tributary-lake-").FullName;

    public void Dispose() => Directory.Delete(_store, recursive: true);

    [Fact]
    public async Task AvroRecords_LandInHourlyParquetFiles_ThatDuckDbReadsAsAPartitionedTable()
    {
        const string Topic = "lake-orders";
        const int Records = 6_000;
        await CreateTopicAsync(Topic, 3);
        await ProduceAsync(Topic, OrderV1, Enumerable.Range(0, Records).Select(i => (i, (RecordSchema?)null, Hour0.AddSeconds(i * 3 % 10_800))));

        using var connect = new ConnectClient(fixture.ConnectUrl);
        Assert.Equal(201, (await connect.PutAsync("/connectors/lake-orders-sink/config", new Dictionary<string, string>
        {
            ["connector.class"] = "io.confluent.connect.hdfs.HdfsSinkConnector",
            ["tasks.max"] = "2",
            ["topics"] = Topic,
            ["store.url"] = new Uri(_store).AbsoluteUri,
            ["format.class"] = "io.confluent.connect.hdfs.parquet.ParquetFormat",
            ["partitioner.class"] = "io.confluent.connect.storage.partitioner.TimeBasedPartitioner",
            ["path.format"] = "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH",
            ["partition.duration.ms"] = "3600000",
            ["locale"] = "en-US",
            ["timezone"] = "UTC",
            ["timestamp.extractor"] = "Record",
            ["flush.size"] = "500",
            ["rotate.schedule.interval.ms"] = "2000",
            ["value.converter"] = "io.confluent.connect.avro.AvroConverter",
            ["value.converter.schema.registry.url"] = fixture.RegistryUrl,
        })).Status);

        var table = $"read_parquet('{_store}/topics/{Topic}/**/*.parquet', hive_partitioning = true)";
        await Wait.UntilAsync(() => Count(table) == Records, TimeSpan.FromSeconds(90), "every record is in a committed file");

        var summary = DuckDb.Query($"SELECT count(*), count(DISTINCT id), min(id), max(id) FROM {table}")[0];
        Assert.Equal([(long)Records, Records, 0L, Records - 1L], summary.Select(Convert.ToInt64));
        // Each record is under the hour of its timestamp, and the partition columns are the path's.
        var hours = DuckDb.Query($"SELECT \"year\", \"month\", \"day\", \"hour\", count(*), count(*) FILTER (WHERE hour(ts) <> \"hour\") FROM {table} GROUP BY ALL ORDER BY \"hour\"");
        Assert.Equal(["2024|5|1|10", "2024|5|1|11", "2024|5|1|12"], hours.Select(h => string.Join('|', h.Take(4).Select(Convert.ToInt64))));
        Assert.All(hours, h => Assert.Equal(0L, Convert.ToInt64(h[5])));
        Assert.Equal(Records, hours.Sum(h => Convert.ToInt64(h[4])));
        // File names carry the topic, the Kafka partition and the offsets of their first and last records.
        var names = Directory.GetFiles(Path.Combine(_store, "topics", Topic), "*.parquet", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.All(names, n => Assert.Matches(@"^lake-orders\+[0-2]\+\d{10}\+\d{10}\.parquet$", n));
        await connect.DeleteAsync("/connectors/lake-orders-sink");
    }

    [Fact]
    public async Task ANewerSchemaFromTheRegistry_RotatesTheFiles_AndOlderRecordsAreProjectedToIt()
    {
        const string Topic = "lake-evolving";
        await CreateTopicAsync(Topic, 1);
        var v2 = (RecordSchema)Avro.Schema.Parse(OrderV2);
        // 100 of v1, 100 of v2, 100 of v1 again.
        await ProduceAsync(Topic, OrderV1, Enumerable.Range(0, 100).Select(i => (i, (RecordSchema?)null, Hour0)));
        await ProduceAsync(Topic, OrderV2, Enumerable.Range(100, 100).Select(i => (i, (RecordSchema?)v2, Hour0)));
        await ProduceAsync(Topic, OrderV1, Enumerable.Range(200, 100).Select(i => (i, (RecordSchema?)null, Hour0)));

        using var connect = new ConnectClient(fixture.ConnectUrl);
        Assert.Equal(201, (await connect.PutAsync("/connectors/lake-evolving-sink/config", new Dictionary<string, string>
        {
            ["connector.class"] = "io.confluent.connect.azure.blob.AzureBlobStorageSinkConnector",
            ["topics"] = Topic,
            ["store.url"] = new Uri(_store).AbsoluteUri,
            ["format.class"] = "io.confluent.connect.azure.blob.format.avro.AvroFormat",
            ["avro.codec"] = "snappy",
            ["flush.size"] = "100",
            ["schema.compatibility"] = "BACKWARD",
            ["value.converter"] = "io.confluent.connect.avro.AvroConverter",
            ["value.converter.schema.registry.url"] = fixture.RegistryUrl,
        })).Status);

        var directory = Path.Combine(_store, "topics", Topic, "partition=0");
        await Wait.UntilAsync(() => Directory.Exists(directory) && Directory.GetFiles(directory).Length == 3, TimeSpan.FromSeconds(60), "three files");

        // Read back with Apache.Avro's container reader: the third file holds v1 records in the v2 schema.
        var files = Directory.GetFiles(directory).Order().ToList();
        Assert.Equal(["lake-evolving+0+0000000000+0000000099.avro", "lake-evolving+0+0000000100+0000000199.avro", "lake-evolving+0+0000000200+0000000299.avro"],
            files.Select(Path.GetFileName));
        Avro.File.Codec.RegisterResolver(Tributary.Grains.Connect.Storage.Formats.AvroCodecs.Resolve);
        var third = ReadAvro(files[2]);
        Assert.Equal(100, third.Count);
        Assert.All(third, r => Assert.Equal("none", r["note"]));
        Assert.Equal("note-150", ReadAvro(files[1])[50]["note"]);
        Assert.DoesNotContain(ReadAvro(files[0])[0].Schema.Fields, f => f.Name == "note");
        await connect.DeleteAsync("/connectors/lake-evolving-sink");
    }

    [Fact]
    public async Task ARecordWithoutItsTimeField_GoesToTheDeadLetterQueue_AndTheOthersAreWritten()
    {
        const string Topic = "lake-events";
        const string Schema = "{\"type\":\"struct\",\"fields\":[{\"field\":\"id\",\"type\":\"int32\"},{\"field\":\"at\",\"type\":\"int64\",\"optional\":true}]}";
        await CreateTopicAsync(Topic, 1);
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = fixture.BootstrapServers }).Build())
        {
            for (var i = 0; i < 10; i++)
            {
                var at = i == 4 ? "null" : Hour0.AddMinutes(i).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                await producer.ProduceAsync(Topic, new Message<Null, string> { Value = $"{{\"schema\":{Schema},\"payload\":{{\"id\":{i},\"at\":{at}}}}}" });
            }
        }

        using var connect = new ConnectClient(fixture.ConnectUrl);
        Assert.Equal(201, (await connect.PutAsync("/connectors/lake-events-sink/config", new Dictionary<string, string>
        {
            ["connector.class"] = "HdfsSinkConnector",
            ["topics"] = Topic,
            ["store.url"] = new Uri(_store).AbsoluteUri,
            ["format.class"] = "io.confluent.connect.hdfs.json.JsonFormat",
            ["partitioner.class"] = "io.confluent.connect.storage.partitioner.DailyPartitioner",
            ["timestamp.extractor"] = "RecordField",
            ["timestamp.field"] = "at",
            ["locale"] = "en",
            ["timezone"] = "UTC",
            ["flush.size"] = "9",
            ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
            ["errors.tolerance"] = "all",
            ["errors.deadletterqueue.topic.name"] = "lake-events-dlq",
            ["errors.deadletterqueue.topic.replication.factor"] = "1",
        })).Status);

        var table = $"read_json('{_store}/topics/{Topic}/**/*.json', hive_partitioning = true)";
        await Wait.UntilAsync(() => Directory.Exists(Path.Combine(_store, "topics", Topic)) && Count(table) == 9, TimeSpan.FromSeconds(60), "nine records in a file");
        Assert.Equal([9L, 0L], DuckDb.Query($"SELECT count(*), count(*) FILTER (WHERE id = 4) FROM {table}")[0].Select(Convert.ToInt64));
        using var consumer = new ConsumerBuilder<Ignore, string>(new ConsumerConfig
        {
            BootstrapServers = fixture.BootstrapServers, GroupId = "lake-dlq-reader", AutoOffsetReset = AutoOffsetReset.Earliest,
        }).Build();
        consumer.Subscribe("lake-events-dlq");
        var dead = consumer.Consume(TimeSpan.FromSeconds(30));
        Assert.NotNull(dead);
        Assert.Contains("\"id\":4", dead.Message.Value, StringComparison.Ordinal);
        await connect.DeleteAsync("/connectors/lake-events-sink");
    }

    [Fact]
    public async Task ARecordTheFormatCannotHold_FailsTheTask_WithAClearStatus()
    {
        const string Topic = "lake-plain";
        await CreateTopicAsync(Topic, 1);
        using (var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = fixture.BootstrapServers }).Build())
        {
            await producer.ProduceAsync(Topic, new Message<Null, string> { Value = "{\"id\":1}" });
        }

        using var connect = new ConnectClient(fixture.ConnectUrl);
        Assert.Equal(201, (await connect.PutAsync("/connectors/lake-plain-sink/config", new Dictionary<string, string>
        {
            ["connector.class"] = "HdfsSinkConnector",
            ["topics"] = Topic,
            ["store.url"] = new Uri(_store).AbsoluteUri,
            ["format.class"] = "io.confluent.connect.hdfs.parquet.ParquetFormat",
            ["flush.size"] = "10",
            ["value.converter"] = "org.apache.kafka.connect.json.JsonConverter",
            ["value.converter.schemas.enable"] = "false",
        })).Status);

        System.Text.Json.Nodes.JsonNode? status = null;
        await Wait.UntilAsync(async () =>
        {
            (_, status) = await connect.GetAsync("/connectors/lake-plain-sink/status");
            return status?["tasks"]?[0]?["state"]?.GetValue<string>() == "FAILED";
        }, TimeSpan.FromSeconds(30), "the task fails");
        Assert.Contains("Parquet files need struct values with a schema: the record at lake-plain-0@0 has none",
            status!["tasks"]![0]!["trace"]!.GetValue<string>(), StringComparison.Ordinal);
        await connect.DeleteAsync("/connectors/lake-plain-sink");
    }

    [Fact]
    public async Task TheAzureSecrets_AreHiddenInTheRestApisAnswers()
    {
        const string ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=c2VjcmV0;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;";
        using var connect = new ConnectClient(fixture.ConnectUrl);
        Assert.Equal(201, (await connect.PutAsync("/connectors/lake-azure-sink/config", new Dictionary<string, string>
        {
            ["connector.class"] = "io.confluent.connect.azure.blob.AzureBlobStorageSinkConnector",
            ["topics"] = "lake-azure",
            ["store.url"] = "azblob://lake/prefix",
            ["azblob.connection.string"] = ConnectionString,
            ["azblob.sas.token"] = "sv=2024&sig=secret",
            ["format.class"] = "io.confluent.connect.azure.blob.format.json.JsonFormat",
            ["flush.size"] = "10",
        })).Status);

        var (_, config) = await connect.GetAsync("/connectors/lake-azure-sink/config");
        Assert.Equal("[hidden]", config!["azblob.connection.string"]!.GetValue<string>());
        Assert.Equal("[hidden]", config["azblob.sas.token"]!.GetValue<string>());
        Assert.Equal("azblob://lake/prefix", config["store.url"]!.GetValue<string>());
        await connect.DeleteAsync("/connectors/lake-azure-sink");
    }

    private async Task CreateTopicAsync(string topic, int partitions)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = fixture.BootstrapServers }).Build();
        await admin.CreateTopicsAsync([new Confluent.Kafka.Admin.TopicSpecification { Name = topic, NumPartitions = partitions, ReplicationFactor = 1 }]);
    }

    private async Task ProduceAsync(string topic, string schemaJson, IEnumerable<(int Id, RecordSchema? Schema, DateTimeOffset At)> orders)
    {
        var schema = (RecordSchema)Avro.Schema.Parse(schemaJson);
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = fixture.RegistryUrl });
        using var producer = new ProducerBuilder<Null, GenericRecord>(new ProducerConfig { BootstrapServers = fixture.BootstrapServers, LingerMs = 5 })
            .SetValueSerializer(new AvroSerializer<GenericRecord>(registry).AsSyncOverAsync())
            .Build();
        foreach (var (id, _, at) in orders)
        {
            var record = new GenericRecord(schema);
            record.Add("id", (long)id);
            record.Add("name", $"order-{id}");
            record.Add("ts", at.UtcDateTime);
            if (schema.Fields.Any(f => f.Name == "note"))
            {
                record.Add("note", $"note-{id}");
            }

            producer.Produce(topic, new Message<Null, GenericRecord> { Value = record, Timestamp = new Timestamp(at) }, report =>
            {
                if (report.Error.IsError)
                {
                    throw new InvalidOperationException(report.Error.Reason);
                }
            });
        }

        producer.Flush(TimeSpan.FromSeconds(30));
    }

    private static List<GenericRecord> ReadAvro(string path)
    {
        using var reader = Avro.File.DataFileReader<GenericRecord>.OpenReader(path);
        return [.. reader.NextEntries];
    }

    private static long Count(string table) => DuckDb.CountOrMinusOne($"SELECT count(*) FROM {table}");
}

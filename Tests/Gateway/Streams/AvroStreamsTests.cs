using Avro;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Tributary.Grains.Streams;
using Tributary.Grains.Streams.Dsl;
using Tributary.Grains.Streams.Serialization;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.Streams;

/// <summary>
/// Avro records through a stream application with the platform's Schema Registry: read as Confluent's serializer
/// wrote them, kept in a store whose changelog holds Avro too, written in a new schema, and read back by Confluent's
/// deserializer.
/// </summary>
[Collection(StreamApplicationsCollection.Name)]
public sealed class AvroStreamsTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private static readonly RecordSchema Reading = (RecordSchema)Avro.Schema.Parse(
        """{"type":"record","name":"Reading","namespace":"sensors","fields":[{"name":"sensor","type":"string"},{"name":"celsius","type":"double"}]}""");

    private static readonly RecordSchema Peak = (RecordSchema)Avro.Schema.Parse(
        """{"type":"record","name":"Peak","namespace":"sensors","fields":[{"name":"sensor","type":"string"},{"name":"fahrenheit","type":"double"}]}""");

    [Fact]
    public async Task GenericAvroRecords_AreReadKeptAndWritten_InConfluentsWireFormat()
    {
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build())
        {
            await admin.CreateTopicsAsync(
            [
                new TopicSpecification { Name = "avro-readings", NumPartitions = 2, ReplicationFactor = 1 },
                new TopicSpecification { Name = "avro-peaks", NumPartitions = 2, ReplicationFactor = 1 },
            ]);
        }

        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = broker.RegistryUrl });
        var builder = new StreamsBuilder();
        builder.Stream("avro-readings", Consumed.With(Serdes.String(), AvroSerdes.Generic(registry)))
            .GroupByKey()
            .Reduce(
                (highest, reading) => (double)reading["celsius"] > (double)highest["celsius"] ? reading : highest,
                // Without the record cache, every reading's update reaches the output, not only each commit's latest.
                materialized: Materialized.As<string, GenericRecord>("highest").WithValueSerde(AvroSerdes.Generic(registry)).WithCachingDisabled())
            .ToStream()
            .MapValues(reading =>
            {
                var peak = new GenericRecord(Peak);
                peak.Add("sensor", reading["sensor"]);
                peak.Add("fahrenheit", (double)reading["celsius"] * 9 / 5 + 32);
                return peak;
            })
            .To("avro-peaks", Produced.With(Serdes.String(), AvroSerdes.Generic(registry)));
        await using var streams = new KafkaStreams(builder.Build(), new StreamsConfig
        {
            ApplicationId = "avro-peaks",
            BootstrapServers = broker.BootstrapServers,
            CommitInterval = TimeSpan.FromMilliseconds(200),
        });
        await streams.StartAsync();

        using (var producer = new ProducerBuilder<string, GenericRecord>(new ProducerConfig { BootstrapServers = broker.BootstrapServers })
            .SetValueSerializer(new AvroSerializer<GenericRecord>(registry))
            .Build())
        {
            foreach (var (sensor, celsius) in new[] { ("s1", 20.0), ("s2", 10.0), ("s1", 30.0), ("s1", 25.0), ("s2", 100.0) })
            {
                var reading = new GenericRecord(Reading);
                reading.Add("sensor", sensor);
                reading.Add("celsius", celsius);
                await producer.ProduceAsync("avro-readings", new Message<string, GenericRecord> { Key = sensor, Value = reading });
            }
        }

        using var consumer = new ConsumerBuilder<string, GenericRecord>(new ConsumerConfig
        {
            BootstrapServers = broker.BootstrapServers,
            GroupId = "reader-" + Guid.NewGuid().ToString("N"),
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).SetValueDeserializer(new AvroDeserializer<GenericRecord>(registry).AsSyncOverAsync()).Build();
        consumer.Subscribe("avro-peaks");
        var peaks = new Dictionary<string, List<double>>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        await Task.Run(() =>
        {
            while (peaks.Values.Sum(p => p.Count) < 5 && DateTime.UtcNow < deadline)
            {
                if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
                {
                    Assert.Equal("sensors.Peak", result.Message.Value.Schema.Fullname);
                    var sensor = (string)result.Message.Value["sensor"];
                    (peaks.TryGetValue(sensor, out var list) ? list : peaks[sensor] = []).Add((double)result.Message.Value["fahrenheit"]);
                }
            }
        });
        consumer.Close();

        Assert.Equal([68.0, 86.0, 86.0], peaks["s1"]);
        Assert.Equal([50.0, 212.0], peaks["s2"]);
        var subjects = await registry.GetAllSubjectsAsync();
        Assert.Contains("avro-readings-value", subjects);
        Assert.Contains("avro-peaks-value", subjects);
        Assert.Contains("avro-peaks-highest-changelog-value", subjects);
    }
}

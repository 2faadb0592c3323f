using System.Buffers.Binary;
using Avro;
using Avro.Generic;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.SchemaRegistry;

/// <summary>
/// Confluent's Avro serializer and deserializer, unmodified, against the embedded platform: schemas registered and
/// fetched through the registry, records produced and consumed through the Kafka gateway.
/// </summary>
public sealed class AvroSerdesTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private CachedSchemaRegistryClient Registry() => new(new SchemaRegistryConfig { Url = broker.RegistryUrl });

    private async Task ProduceAsync<T>(string topic, IEnumerable<T> values)
    {
        using var registry = Registry();
        await SerdesTopics.ProduceAsync(broker.BootstrapServers, topic, values, new AvroSerializer<T>(registry));
    }

    private List<TValue> Consume<TValue>(string topic, int expected, IDeserializer<TValue> deserializer) =>
        SerdesTopics.Consume(broker.BootstrapServers, topic, expected, deserializer);

    private static GenericRecord PaymentV1(RecordSchema schema, int i)
    {
        var record = new GenericRecord(schema);
        record.Add("id", $"p-{i}");
        record.Add("amount", i * 1.5);
        return record;
    }

    [Fact]
    public async Task GenericRecords_AreProducedInConfluentsWireFormat_AndConsumedBack()
    {
        await broker.CreateAsync("avro-generic", 1);
        var schema = (RecordSchema)Avro.Schema.Parse(Schemas.PaymentV1);
        await ProduceAsync("avro-generic", Enumerable.Range(0, 50).Select(i => PaymentV1(schema, i)));

        using var registry = Registry();
        var id = (await registry.GetLatestSchemaAsync("avro-generic-value")).Id;
        var raw = Consume("avro-generic", 50, Deserializers.ByteArray);
        Assert.All(raw, bytes =>
        {
            Assert.Equal(0, bytes[0]);
            Assert.Equal(id, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1)));
        });

        var records = Consume("avro-generic", 50, new AvroDeserializer<GenericRecord>(registry).AsSyncOverAsync());
        Assert.Equal(Enumerable.Range(0, 50).Select(i => ($"p-{i}", i * 1.5)), records.Select(r => ((string)r["id"], (double)r["amount"])));
    }

    [Fact]
    public async Task SpecificRecords_RoundTrip_AndReadOlderDataWithTheirNewerSchema()
    {
        await broker.CreateAsync("avro-specific", 1);

        // Version 1 written as generic records, then version 2 as the specific class.
        var v1 = (RecordSchema)Avro.Schema.Parse(Schemas.PaymentV1);
        await ProduceAsync("avro-specific", Enumerable.Range(0, 5).Select(i => PaymentV1(v1, i)));
        await ProduceAsync("avro-specific", Enumerable.Range(5, 5).Select(i => new Payment { id = $"p-{i}", amount = i * 1.5, currency = "USD" }));

        using var registry = Registry();
        Assert.Equal([1, 2], await registry.GetSubjectVersionsAsync("avro-specific-value"));
        var payments = Consume("avro-specific", 10, new AvroDeserializer<Payment>(registry).AsSyncOverAsync());

        // Records of version 1 are resolved to the class's schema: the new field takes its default.
        Assert.Equal(
            Enumerable.Range(0, 10).Select(i => ($"p-{i}", i * 1.5, i < 5 ? "EUR" : "USD")),
            payments.Select(p => (p.id, p.amount, p.currency)));
    }

    [Fact]
    public async Task ASerializerWithAnIncompatibleSchema_FailsToProduce_AndNothingIsWritten()
    {
        await broker.CreateAsync("avro-incompatible", 1);
        var v1 = (RecordSchema)Avro.Schema.Parse(Schemas.PaymentV1);
        await ProduceAsync("avro-incompatible", [PaymentV1(v1, 1)]);

        var incompatible = (RecordSchema)Avro.Schema.Parse(Schemas.PaymentWithoutDefault);
        var record = PaymentV1(incompatible, 2);
        record.Add("region", "north");
        var failure = await Assert.ThrowsAsync<ProduceException<string, GenericRecord>>(() => ProduceAsync("avro-incompatible", [record]));
        Assert.Equal(ErrorCode.Local_ValueSerialization, failure.Error.Code);
        var registryError = Assert.IsType<SchemaRegistryException>(failure.InnerException);
        Assert.Equal(409, registryError.ErrorCode);

        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = broker.BootstrapServers, GroupId = "watermarks" }).Build();
        Assert.Equal(1, consumer.QueryWatermarkOffsets(new TopicPartition("avro-incompatible", 0), TimeSpan.FromSeconds(10)).High.Value);
    }
}

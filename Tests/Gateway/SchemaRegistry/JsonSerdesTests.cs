using System.Buffers.Binary;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.SchemaRegistry;

/// <summary>
/// Confluent's JSON Schema serializer and deserializer, unmodified, against the embedded platform: schemas that
/// NJsonSchema generates registered as JSON, records produced and consumed in Confluent's wire format, references
/// across subjects resolved by the serializer through the registry, and evolutions checked by JSON Schema's rules.
/// </summary>
public sealed class JsonSerdesTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    public sealed class Payment
    {
        public string Id { get; set; } = "";

        public double Amount { get; set; }
    }

    public sealed class Address
    {
        public string Street { get; set; } = "";

        public string City { get; set; } = "";
    }

    public sealed class Person
    {
        public string Name { get; set; } = "";

        public Address Home { get; set; } = new();
    }

    private const string AddressSchema = """
        {"$schema":"http://json-schema.org/draft-07/schema#","title":"Address","type":"object",
         "properties":{"Street":{"type":"string"},"City":{"type":"string"}},"required":["Street","City"]}
        """;

    private const string PersonSchema = """
        {"$schema":"http://json-schema.org/draft-07/schema#","title":"Person","type":"object",
         "properties":{"Name":{"type":"string","minLength":1},"Home":{"$ref":"address.json"}},"required":["Name","Home"]}
        """;

    private CachedSchemaRegistryClient Registry() => new(new SchemaRegistryConfig { Url = broker.RegistryUrl });

    private Task ProduceAsync<T>(string topic, IEnumerable<T> values, IAsyncSerializer<T> serializer) =>
        SerdesTopics.ProduceAsync(broker.BootstrapServers, topic, values, serializer);

    private List<TValue> Consume<TValue>(string topic, int expected, IDeserializer<TValue> deserializer) =>
        SerdesTopics.Consume(broker.BootstrapServers, topic, expected, deserializer);

    [Fact]
    public async Task Objects_AreProducedWithTheirGeneratedSchemaRegisteredAsJson_AndConsumedBack()
    {
        await broker.CreateAsync("json-payments", 1);
        using var registry = Registry();
        await ProduceAsync("json-payments", Enumerable.Range(0, 30).Select(i => new Payment { Id = $"p-{i}", Amount = i * 1.5 }), new JsonSerializer<Payment>(registry));

        var latest = await registry.GetLatestSchemaAsync("json-payments-value");
        Assert.Equal(SchemaType.Json, latest.SchemaType);
        Assert.Contains("\"Amount\"", latest.SchemaString, StringComparison.Ordinal);
        var raw = Consume("json-payments", 30, Deserializers.ByteArray);
        Assert.All(raw, bytes =>
        {
            Assert.Equal(0, bytes[0]);
            Assert.Equal(latest.Id, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1)));
        });

        var payments = Consume("json-payments", 30, new JsonDeserializer<Payment>(registry).AsSyncOverAsync());
        Assert.Equal(Enumerable.Range(0, 30).Select(i => ($"p-{i}", i * 1.5)), payments.Select(p => (p.Id, p.Amount)));
    }

    [Fact]
    public async Task AnIncompatibleEvolution_IsRefusedWith409_AndACompatibleOneBecomesTheNextVersion()
    {
        using var registry = Registry();
        const string subject = "json-evolving-value";
        const string v1 = """{"type":"object","additionalProperties":false,"properties":{"id":{"type":"string"},"amount":{"type":"number"}},"required":["id"]}""";
        // A closed content model may gain an optional property: old data never has it.
        const string v2 = """{"type":"object","additionalProperties":false,"properties":{"id":{"type":"string"},"amount":{"type":"number"},"note":{"type":"string"}},"required":["id"]}""";
        // Narrowing number to integer would refuse old amounts such as 2.5.
        const string narrowed = """{"type":"object","additionalProperties":false,"properties":{"id":{"type":"string"},"amount":{"type":"integer"},"note":{"type":"string"}},"required":["id"]}""";

        var first = await registry.RegisterSchemaAsync(subject, new Schema(v1, SchemaType.Json));
        var second = await registry.RegisterSchemaAsync(subject, new Schema(v2, SchemaType.Json));
        var refused = await Assert.ThrowsAsync<SchemaRegistryException>(() => registry.RegisterSchemaAsync(subject, new Schema(narrowed, SchemaType.Json)));

        Assert.NotEqual(first, second);
        Assert.Equal(409, refused.ErrorCode);
        Assert.Equal([1, 2], await registry.GetSubjectVersionsAsync(subject));
        Assert.False(await registry.IsCompatibleAsync(subject, new Schema(narrowed, SchemaType.Json)));
    }

    [Fact]
    public async Task ASchemaReferencingAnotherSubject_IsResolvedByTheSerializer_AndValidatesWhatItWrites()
    {
        await broker.CreateAsync("json-people", 1);
        using var registry = Registry();
        var addressVersion = (await registry.RegisterSchemaWithResponseAsync("json-address", new Schema(AddressSchema, SchemaType.Json), normalize: false)).Version;
        var person = new Schema(PersonSchema, [new SchemaReference("address.json", "json-address", addressVersion)], SchemaType.Json);
        await registry.RegisterSchemaAsync("json-people-value", person);
        var serializer = new JsonSerializer<Person>(registry, person, new JsonSerializerConfig { AutoRegisterSchemas = false, UseLatestVersion = true });

        var people = Enumerable.Range(0, 10).Select(i => new Person { Name = $"n{i}", Home = new Address { Street = $"{i} Main St", City = "Lyon" } }).ToList();
        await ProduceAsync("json-people", people, serializer);
        var read = Consume("json-people", 10, new JsonDeserializer<Person>(registry).AsSyncOverAsync());
        Assert.Equal(people.Select(p => (p.Name, p.Home.Street, p.Home.City)), read.Select(p => (p.Name, p.Home.Street, p.Home.City)));

        // The serializer validates against the registered schema, the referenced part included.
        var failure = await Assert.ThrowsAsync<ProduceException<string, Person>>(() => ProduceAsync("json-people", [new Person { Name = "" }], serializer));
        Assert.IsType<InvalidDataException>(failure.InnerException);

        var fetched = await registry.GetLatestSchemaAsync("json-people-value");
        Assert.Equal([("address.json", "json-address", addressVersion)], fetched.References.Select(r => (r.Name, r.Subject, r.Version)));
    }
}

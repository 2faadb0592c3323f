using Avro.Generic;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Tributary.Tests.Gateway.SchemaRegistry;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.RestProxy;

/// <summary>
/// Data-contract conditions run by the REST Proxy where Confluent's serializers would run them: a record that fails a
/// CEL rule of its schema (registered with the schema, or given by the subject's config) is refused with the
/// serializer's message and nothing of its request is written; records that pass are read back by Confluent's
/// deserializers. A consumer instance stops at a record that fails a read rule, as a Kafka consumer stops at a record
/// its deserializer refuses, until it seeks past it.
/// </summary>
public sealed class RestRuleTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private const string PaymentSchema =
        """{"type":"record","name":"Payment","fields":[{"name":"id","type":"string"},{"name":"amount","type":"double"}]}""";

    private static object PositiveAmount(string field) => new
    {
        domainRules = new[] { new { name = "positiveAmount", kind = "CONDITION", mode = "WRITE", type = "CEL", expr = $"message.{field} > 0.0" } },
    };

    [Fact]
    public async Task AvroRecordsFailingACelCondition_AreRefused_AndTheOthersAreReadByConfluentsDeserializer()
    {
        await broker.CreateAsync("rules-avro", 1);
        using var registry = new RegistryHttp(broker.RegistryUrl);
        var registered = await registry.PostAsync("/subjects/rules-avro-value/versions", new { schema = PaymentSchema, ruleSet = PositiveAmount("amount") });
        var id = registered.Body!["id"]!.GetValue<int>();
        using var rest = new RestClient(broker.RestUrl);

        var passed = await rest.ProduceAsync("/topics/rules-avro", "avro", new
        {
            value_schema_id = id,
            records = Enumerable.Range(1, 3).Select(i => new { value = new { id = $"p{i}", amount = i * 2.5 } }).ToArray(),
        });
        var refused = await rest.ProduceAsync("/topics/rules-avro", "avro", new
        {
            value_schema_id = id,
            records = new object[] { new { value = new { id = "ok", amount = 1.0 } }, new { value = new { id = "bad", amount = -4.0 } } },
        });

        Assert.Equal(200, passed.Status);
        Assert.Equal((422, 42203), (refused.Status, RestClient.ErrorCode(refused)));
        Assert.Equal("Rule failed: positiveAmount: Expr failed: 'message.amount > 0.0'", refused.Body!["message"]!.GetValue<string>());
        Assert.Equal(3, (await rest.GetAsync("/topics/rules-avro/partitions/0/offsets")).Body!["end_offset"]!.GetValue<long>());
        using var client = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = broker.RegistryUrl });
        var payments = SerdesTopics.Consume(broker.BootstrapServers, "rules-avro", 3, new AvroDeserializer<GenericRecord>(client).AsSyncOverAsync());
        Assert.Equal([2.5, 5.0, 7.5], payments.Select(p => (double)p["amount"]));
    }

    [Fact]
    public async Task ASubjectsDefaultRuleSet_IsRunOnJsonSchemaRecords_InApiV2AndV3()
    {
        await broker.CreateAsync("rules-json", 1);
        using var registry = new RegistryHttp(broker.RegistryUrl);
        Assert.Equal(200, (await registry.PutAsync("/config/rules-json-value", new { defaultRuleSet = PositiveAmount("Amount") })).Status);
        const string order = """
            {"$schema":"http://json-schema.org/draft-07/schema#","type":"object","title":"Order",
             "properties":{"Id":{"type":"string"},"Amount":{"type":"number"}},"required":["Id","Amount"]}
            """;
        using var rest = new RestClient(broker.RestUrl);

        var passed = await rest.ProduceAsync("/topics/rules-json", "jsonschema", new { value_schema = order, records = new[] { new { value = new { Id = "a", Amount = 3 } } } });
        var refused = await rest.ProduceAsync("/topics/rules-json", "jsonschema", new { value_schema = order, records = new[] { new { value = new { Id = "b", Amount = 0 } } } });
        Assert.Equal(200, passed.Status);
        Assert.Equal((422, 42203), (refused.Status, RestClient.ErrorCode(refused)));
        Assert.StartsWith("Rule failed: positiveAmount", refused.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var cluster = (await rest.GetAsync("/v3/clusters")).Body!["data"]![0]!["cluster_id"]!.GetValue<string>();
        var schemaId = passed.Body!["value_schema_id"]!.GetValue<int>();
        var v3Passed = await rest.SendAsync(HttpMethod.Post, $"/v3/clusters/{cluster}/topics/rules-json/records",
            new { value = new { type = "JSONSCHEMA", schema_id = schemaId, data = new { Id = "c", Amount = 1.5 } } }, "application/json");
        var v3Refused = await rest.SendAsync(HttpMethod.Post, $"/v3/clusters/{cluster}/topics/rules-json/records",
            new { value = new { type = "JSONSCHEMA", schema_id = schemaId, data = new { Id = "d", Amount = -1 } } }, "application/json");
        Assert.Equal(200, v3Passed.Status);
        Assert.Equal((400, 400), (v3Refused.Status, v3Refused.Body!["error_code"]!.GetValue<int>()));
        Assert.StartsWith("Rule failed: positiveAmount", v3Refused.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, (await rest.GetAsync("/topics/rules-json/partitions/0/offsets")).Body!["end_offset"]!.GetValue<long>());
    }

    [Fact]
    public async Task ARecordFailingAReadRule_StopsTheConsumerInstanceAtIt_AfterTheRecordsBefore_UntilItSeeksPast()
    {
        const string topic = "rules-read";
        await broker.CreateAsync(topic, 1);
        using var registry = new RegistryHttp(broker.RegistryUrl);
        var registered = await registry.PostAsync($"/subjects/{topic}-value/versions", new
        {
            schema = PaymentSchema,
            ruleSet = new { domainRules = new[] { new { name = "smallAmount", kind = "CONDITION", mode = "READ", type = "CEL", expr = "message.amount < 100.0" } } },
        });
        var id = registered.Body!["id"]!.GetValue<int>();
        using var rest = new RestClient(broker.RestUrl);
        var amounts = new[] { 5.0, 50.0, 500.0, 7.0 };
        var produced = await rest.ProduceAsync($"/topics/{topic}", "avro", new
        {
            value_schema_id = id,
            records = amounts.Select((amount, i) => new { value = new { id = $"p{i}", amount } }).ToArray(),
        });
        Assert.Equal(200, produced.Status);

        var created = await rest.SendAsync(HttpMethod.Post, "/consumers/rules-read-group", new Dictionary<string, string>
        {
            ["name"] = "reader", ["format"] = "avro", ["auto.offset.reset"] = "earliest", ["auto.commit.enable"] = "false",
        });
        var instance = new Uri(created.Body!["base_uri"]!.GetValue<string>()).AbsolutePath;
        Assert.Equal(204, (await rest.SendAsync(HttpMethod.Post, $"{instance}/assignments", new { partitions = new[] { new { topic, partition = 0 } } })).Status);
        const string accept = "application/vnd.kafka.avro.v2+json";

        var read = new List<double>();
        (int Status, System.Text.Json.Nodes.JsonNode? Body) polled;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((polled = await rest.GetAsync($"{instance}/records?timeout=1000", accept)).Status == 200 && DateTime.UtcNow < deadline)
        {
            read.AddRange(polled.Body!.AsArray().Select(r => r!["value"]!["amount"]!.GetValue<double>()));
        }

        Assert.Equal([5.0, 50.0], read);
        Assert.Equal((500, 50002), (polled.Status, RestClient.ErrorCode(polled)));
        Assert.Equal("Rule failed: smallAmount: Expr failed: 'message.amount < 100.0'", polled.Body!["message"]!.GetValue<string>());
        Assert.Equal(50002, RestClient.ErrorCode(await rest.GetAsync($"{instance}/records?timeout=500", accept)));

        Assert.Equal(204, (await rest.SendAsync(HttpMethod.Post, $"{instance}/positions", new { offsets = new[] { new { topic, partition = 0, offset = 3 } } })).Status);
        var after = await rest.GetAsync($"{instance}/records?timeout=5000", accept);
        Assert.Equal(200, after.Status);
        Assert.Equal([7.0], after.Body!.AsArray().Select(r => r!["value"]!["amount"]!.GetValue<double>()));
        await rest.SendAsync(HttpMethod.Delete, instance);
    }

    [Fact]
    public async Task AnExpressionPastTheLimits_IsRefusedWhenTheSchemaIsRegistered()
    {
        using var registry = new RegistryHttp(broker.RegistryUrl);
        var deep = new string('(', 100) + "message.amount > 0.0" + new string(')', 100);
        var refused = await registry.PostAsync("/subjects/rules-deep-value/versions", new
        {
            schema = PaymentSchema,
            ruleSet = new { domainRules = new[] { new { name = "deep", kind = "CONDITION", mode = "WRITE", type = "CEL", expr = deep } } },
        });

        Assert.Equal((422, 42210), (refused.Status, RegistryHttp.ErrorCode(refused)));
        Assert.Contains("nests deeper than 32 levels", refused.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

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
/// Schema contexts over the registry's HTTP API, as Confluent serves them: subjects <c>:.ctx:name</c> (or plain names
/// under <c>/contexts/.ctx/</c>), each context with its own ids from 1, its own config and mode, its own references,
/// and the list of contexts. Each test uses contexts of its own.
/// </summary>
public sealed class ContextTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    [Fact]
    public async Task EachContext_HasItsOwnIdsAndSubjects_AndIsListed()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        // The same schema text in two contexts: each gives it its own id 1, and neither sees the other's versions.
        var shared = Schemas.Record("Order", "id");
        Assert.Equal(1, await http.RegisterAsync(":.q1:orders", shared));
        Assert.Equal(2, await http.RegisterAsync(":.q1:orders", Schemas.RecordWithDefaults("Order", "id", "total")));
        Assert.Equal(3, await http.RegisterAsync(":.q1:orders", Schemas.RecordWithDefaults("Order", "id", "total", "note")));
        Assert.Equal(1, await http.RegisterAsync(":.q2:orders", shared));
        Assert.Equal(2, await http.RegisterAsync(":.q2:only-here", Schemas.Record("Lonely", "x")));
        await http.RegisterAsync("orders-default", Schemas.Record("DefaultOrder", "a"));

        Assert.Equal([".q1", ".q2"], RegistryHttp.Strings((await http.GetAsync("/contexts?contextPrefix=.q")).Body));
        Assert.Equal(".", RegistryHttp.Strings((await http.GetAsync("/contexts")).Body)[0]);
        Assert.Equal([1, 2, 3], RegistryHttp.Ints((await http.GetAsync("/subjects/:.q1:orders/versions")).Body));
        Assert.Equal([1], RegistryHttp.Ints((await http.GetAsync("/subjects/:.q2:orders/versions")).Body));
        var latest = (await http.GetAsync("/subjects/:.q1:orders/versions/latest")).Body!;
        Assert.Equal((":.q1:orders", 3, 3), (latest["subject"]!.GetValue<string>(), latest["version"]!.GetValue<int>(), latest["id"]!.GetValue<int>()));

        // Ids are looked up in the context the subject parameter names; the default context does not have these.
        Assert.Contains("note", (await http.GetAsync("/schemas/ids/3?subject=:.q1:")).Body!["schema"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("Lonely", (await http.GetAsync("/schemas/ids/2?subject=:.q2:orders")).Body!["schema"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal([":.q2:orders"], RegistryHttp.Strings((await http.GetAsync("/schemas/ids/1/subjects?subject=:.q2:")).Body));

        // Subjects: every context's by default, one context's by its prefix, the default context's with an empty prefix.
        var all = RegistryHttp.Strings((await http.GetAsync("/subjects")).Body);
        Assert.Contains(":.q1:orders", all);
        Assert.Contains(":.q2:only-here", all);
        Assert.Contains("orders-default", all);
        Assert.Equal([":.q2:only-here", ":.q2:orders"], RegistryHttp.Strings((await http.GetAsync("/subjects?subjectPrefix=:.q2:")).Body));
        Assert.DoesNotContain(RegistryHttp.Strings((await http.GetAsync("/subjects?subjectPrefix=")).Body), s => s.StartsWith(':'));
        Assert.Equal([":.q1:orders", ":.q2:orders"], RegistryHttp.Strings((await http.GetAsync("/subjects?subjectPrefix=:*:orders")).Body)
            .Where(s => s.EndsWith(":orders", StringComparison.Ordinal)));
        // Three versions in .q1, one in .q2, one of orders-default.
        Assert.Equal(5, (await http.GetAsync("/schemas?subjectPrefix=:*:orders")).Body!.AsArray().Count);

        // An unqualified subject the default context lacks is found in the context that has it, as Confluent does.
        var found = (await http.GetAsync("/subjects/only-here/versions/1")).Body!;
        Assert.Equal((":.q2:only-here", 2), (found["subject"]!.GetValue<string>(), found["id"]!.GetValue<int>()));
        Assert.Contains("Lonely", (await http.GetAsync("/schemas/ids/2?subject=only-here")).Body!["schema"]!.GetValue<string>(), StringComparison.Ordinal);
        var lookedUp = await http.PostAsync("/subjects/only-here", new { schema = Schemas.Record("Lonely", "x") });
        Assert.Equal(":.q2:only-here", lookedUp.Body!["subject"]!.GetValue<string>());

        // :.: is the default context.
        Assert.Equal(200, (await http.GetAsync("/subjects/:.:orders-default/versions/1")).Status);
    }

    [Fact]
    public async Task ContextPaths_GiveClientsAContextWithoutNamingIt()
    {
        using var p1 = new RegistryHttp(broker.RegistryUrl + "/contexts/.p1/");
        using var p2 = new RegistryHttp(broker.RegistryUrl + "/contexts/.p2/");
        using var root = new RegistryHttp(broker.RegistryUrl);
        Assert.Equal(1, await p1.RegisterAsync("payments", Schemas.Record("PaymentP1", "id")));
        Assert.Equal(1, await p2.RegisterAsync("payments", Schemas.Record("PaymentP2", "id")));

        Assert.Contains("PaymentP1", (await p1.GetAsync("schemas/ids/1")).Body!["schema"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("PaymentP2", (await p2.GetAsync("schemas/ids/1")).Body!["schema"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal([":.p1:payments"], RegistryHttp.Strings((await p1.GetAsync("subjects")).Body));
        Assert.Equal([":.p1:payments"], RegistryHttp.Strings((await p1.GetAsync("subjects?subjectPrefix=pay&subjectPrefix=other")).Body));
        Assert.Equal(":.p2:payments", (await p2.GetAsync("subjects/payments/versions/latest")).Body!["subject"]!.GetValue<string>());
        Assert.Contains("PaymentP1", (await root.GetAsync("/subjects/:.p1:payments/versions/1")).Body!["schema"]!.GetValue<string>(), StringComparison.Ordinal);
        // A subject that names its context keeps it under another context's path.
        Assert.Contains("PaymentP2", (await p1.GetAsync("subjects/:.p2:payments/versions/1")).Body!["schema"]!.GetValue<string>(), StringComparison.Ordinal);

        // The context's config under its path is the context's own.
        Assert.Equal("NONE", (await p1.PutAsync("config", new { compatibility = "NONE" })).Body!["compatibility"]!.GetValue<string>());
        Assert.Equal("NONE", (await root.GetAsync("/config/:.p1:")).Body!["compatibilityLevel"]!.GetValue<string>());
        Assert.Equal(40408, RegistryHttp.ErrorCode(await p2.GetAsync("config")));

        var colon = await root.GetAsync("/contexts/a:b/subjects");
        Assert.Equal((400, 400), (colon.Status, RegistryHttp.ErrorCode(colon)));
    }

    [Fact]
    public async Task ConfluentsAvroSerdes_GivenAContextUrl_KeepTheirSchemasInThatContext()
    {
        await broker.CreateAsync("ctx-payments", 1);
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = broker.RegistryUrl + "/contexts/.s1" });
        var schema = (RecordSchema)Avro.Schema.Parse(Schemas.PaymentV1);
        var payments = Enumerable.Range(0, 20).Select(i =>
        {
            var record = new GenericRecord(schema);
            record.Add("id", $"p-{i}");
            record.Add("amount", i * 2.5);
            return record;
        }).ToList();
        await SerdesTopics.ProduceAsync(broker.BootstrapServers, "ctx-payments", payments, new AvroSerializer<GenericRecord>(registry));

        using var http = new RegistryHttp(broker.RegistryUrl);
        var registered = (await http.GetAsync("/subjects/:.s1:ctx-payments-value/versions/latest")).Body!;
        Assert.Equal(1, registered["id"]!.GetValue<int>());
        Assert.Equal(40401, RegistryHttp.ErrorCode(await http.GetAsync("/subjects/:.:ctx-payments-value/versions")));
        Assert.All(SerdesTopics.Consume(broker.BootstrapServers, "ctx-payments", 20, Deserializers.ByteArray),
            bytes => Assert.Equal(1, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1))));

        var read = SerdesTopics.Consume(broker.BootstrapServers, "ctx-payments", 20, new AvroDeserializer<GenericRecord>(registry).AsSyncOverAsync());
        Assert.Equal(Enumerable.Range(0, 20).Select(i => ($"p-{i}", i * 2.5)), read.Select(r => ((string)r["id"], (double)r["amount"])));
        Assert.Equal([":.s1:ctx-payments-value"], await registry.GetAllSubjectsAsync());
    }

    [Fact]
    public async Task ContextConfigAndMode_ApplyToTheContextsSubjectsOnly()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        await http.RegisterAsync(":.c1:events", Schemas.Record("Event", "a"));
        await http.RegisterAsync(":.c2:events", Schemas.Record("Event", "a"));
        await http.RegisterAsync("c-events", Schemas.Record("Event", "a"));

        // A context's config is its subjects' fallback; the global config does not reach into contexts.
        Assert.Equal(200, (await http.PutAsync("/config/:.c1:", new { compatibility = "NONE" })).Status);
        Assert.Equal("NONE", (await http.GetAsync("/config/:.c1:")).Body!["compatibilityLevel"]!.GetValue<string>());
        Assert.Equal(40408, RegistryHttp.ErrorCode(await http.GetAsync("/config/:.c2:")));
        Assert.Equal("NONE", (await http.GetAsync("/config/:.c1:events?defaultToGlobal=true")).Body!["compatibilityLevel"]!.GetValue<string>());
        var incompatible = new { schema = Schemas.Record("Event", "b") };
        Assert.Equal(200, (await http.PostAsync("/subjects/:.c1:events/versions", incompatible)).Status);
        Assert.Equal(409, (await http.PostAsync("/subjects/:.c2:events/versions", incompatible)).Status);
        Assert.Equal(409, (await http.PostAsync("/subjects/c-events/versions", incompatible)).Status);
        Assert.Equal("NONE", (await http.DeleteAsync("/config/:.c1:")).Body!["compatibilityLevel"]!.GetValue<string>());
        Assert.Equal(40408, RegistryHttp.ErrorCode(await http.GetAsync("/config/:.c1:")));

        // A context's mode: READONLY there refuses its registrations only, until it is removed.
        Assert.Equal("READONLY", (await http.PutAsync("/mode/:.c2:", new { mode = "READONLY" })).Body!["mode"]!.GetValue<string>());
        Assert.Equal("READONLY", (await http.GetAsync("/mode/:.c2:")).Body!["mode"]!.GetValue<string>());
        var readOnly = await http.PostAsync("/subjects/:.c2:events/versions", new { schema = Schemas.RecordWithDefaults("Event", "a", "c") });
        Assert.Equal((422, 42205), (readOnly.Status, RegistryHttp.ErrorCode(readOnly)));
        Assert.Equal(200, (await http.PostAsync("/subjects/c-events/versions", new { schema = Schemas.RecordWithDefaults("Event", "a", "c") })).Status);
        Assert.Equal("READWRITE", (await http.GetAsync("/mode")).Body!["mode"]!.GetValue<string>());
        Assert.Equal("READONLY", (await http.DeleteAsync("/mode/:.c2:")).Body!["mode"]!.GetValue<string>());
        Assert.Equal(40409, RegistryHttp.ErrorCode(await http.GetAsync("/mode/:.c2:")));
        Assert.Equal(200, (await http.PostAsync("/subjects/:.c2:events/versions", new { schema = Schemas.RecordWithDefaults("Event", "a", "c") })).Status);
    }

    [Fact]
    public async Task TheGlobalContextsConfigAndMode_ApplyWhereAContextSetsNone()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        await http.RegisterAsync(":.g1:events", Schemas.Record("Event", "a"));
        await http.RegisterAsync(":.g2:events", Schemas.Record("Event", "a"));
        var incompatible = new { schema = Schemas.Record("Event", "b") };
        try
        {
            Assert.Equal(200, (await http.PutAsync("/config/:.__GLOBAL:", new { compatibility = "NONE" })).Status);
            Assert.Equal(200, (await http.PutAsync("/config/:.g2:", new { compatibility = "FULL" })).Status);
            Assert.Equal("NONE", (await http.GetAsync("/config")).Body!["compatibilityLevel"]!.GetValue<string>());
            Assert.Equal("NONE", (await http.GetAsync("/config/:.g1:?defaultToGlobal=true")).Body!["compatibilityLevel"]!.GetValue<string>());
            Assert.Equal(200, (await http.PostAsync("/subjects/:.g1:events/versions", incompatible)).Status);
            Assert.Equal(409, (await http.PostAsync("/subjects/:.g2:events/versions", incompatible)).Status);

            Assert.Equal(200, (await http.PutAsync("/mode/:.__GLOBAL:", new { mode = "READONLY" })).Status);
            Assert.Equal("READONLY", (await http.GetAsync("/mode")).Body!["mode"]!.GetValue<string>());
            Assert.Equal(42205, RegistryHttp.ErrorCode(await http.PostAsync("/subjects/:.g1:events/versions", new { schema = Schemas.Record("Event", "c") })));
        }
        finally
        {
            await http.DeleteAsync("/mode/:.__GLOBAL:");
            await http.DeleteAsync("/config/:.__GLOBAL:");
        }

        Assert.Equal("READWRITE", (await http.GetAsync("/mode")).Body!["mode"]!.GetValue<string>());
        Assert.Equal(409, (await http.PostAsync("/subjects/:.g1:events/versions", new { schema = Schemas.Record("Event", "c") })).Status);

        // The global context holds no subjects, and the reserved and empty names are no subjects either.
        foreach (var subject in new[] { ":.__GLOBAL:events", "__GLOBAL", ":.g1:__EMPTY", ":.", ":.:", ":.g1:" })
        {
            var refused = await http.PostAsync($"/subjects/{subject}/versions", new { schema = Schemas.Record("Event", "a") });
            Assert.Equal((422, 42208), (refused.Status, RegistryHttp.ErrorCode(refused)));
        }

        Assert.Equal(40401, RegistryHttp.ErrorCode(await http.GetAsync("/subjects/:.:/versions")));
        Assert.Equal(200, (await http.GetAsync("/config/:.:")).Status);
        Assert.Equal(200, (await http.GetAsync("/config/:.__GLOBAL:")).Status);
        Assert.DoesNotContain(".__GLOBAL", RegistryHttp.Strings((await http.GetAsync("/contexts")).Body));
    }

    [Fact]
    public async Task TheRestProxy_RegistersInTheDefaultContextOnly()
    {
        await broker.CreateAsync("ctx-rest", 1);
        using var rest = new RestProxy.RestClient(broker.RestUrl);
        var cluster = (await rest.GetAsync("/v3/clusters")).Body!["data"]![0]!["cluster_id"]!.GetValue<string>();
        Task<(int Status, System.Text.Json.Nodes.JsonNode? Body)> ProduceAsync(string subject) => rest.SendAsync(HttpMethod.Post, $"/v3/clusters/{cluster}/topics/ctx-rest/records",
            new { value = new { type = "AVRO", subject, schema = Schemas.Record("RestRecord", "a"), data = new { a = 1 } } }, "application/json");

        var inContext = await ProduceAsync(":.rest:ctx-rest-value");
        var inDefault = await ProduceAsync(":.:ctx-rest-value");
        Assert.Equal(400, inContext.Status);
        Assert.Contains("schema context", inContext.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(inDefault.Status == 200, inDefault.Body?.ToJsonString());
        Assert.Equal("ctx-rest-value", inDefault.Body!["value"]!["subject"]!.GetValue<string>());
    }

    [Fact]
    public async Task ImportIntoAContext_KeepsItsIdsThere()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        using var i1 = new RegistryHttp(broker.RegistryUrl + "/contexts/.i1/");
        Assert.Equal("IMPORT", (await i1.PutAsync("mode", new { mode = "IMPORT" })).Body!["mode"]!.GetValue<string>());
        Assert.Equal("IMPORT", (await http.GetAsync("/mode/:.i1:")).Body!["mode"]!.GetValue<string>());
        Assert.Equal("READWRITE", (await http.GetAsync("/mode")).Body!["mode"]!.GetValue<string>());

        var imported = await i1.PostAsync("subjects/legacy/versions", new { schema = Schemas.Record("Legacy", "a"), id = 700, version = 3 });
        Assert.Equal(700, imported.Body!["id"]!.GetValue<int>());
        Assert.Contains("Legacy", (await i1.GetAsync("schemas/ids/700")).Body!["schema"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(404, (await http.GetAsync("/schemas/ids/700")).Status);

        Assert.Equal(200, (await i1.PutAsync("mode", new { mode = "READWRITE" })).Status);
        Assert.Equal(701, await i1.RegisterAsync("legacy", Schemas.RecordWithDefaults("Legacy", "a", "b")));
        Assert.Equal([3, 4], RegistryHttp.Ints((await http.GetAsync("/subjects/:.i1:legacy/versions")).Body));
        // The default context's ids are not moved by the import.
        Assert.True(await http.RegisterAsync("after-context-import", Schemas.Record("AfterContextImport", "a")) < 700);
    }

    [Fact]
    public async Task ReferencesWithoutAContext_AreInTheReferrersContext()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        await http.RegisterAsync(":.r1:address", Schemas.Record("Address", "street"));
        var customer = """{"type":"record","name":"Customer","fields":[{"name":"home","type":"Address"}]}""";
        object[] references = [new { name = "Address", subject = "address", version = 1 }];

        Assert.Equal(2, await http.RegisterAsync(":.r1:customer", customer, references));
        var inDefault = await http.PostAsync("/subjects/customer/versions", new { schema = customer, references });
        Assert.Equal((422, 42201), (inDefault.Status, RegistryHttp.ErrorCode(inDefault)));
        Assert.Equal([2], RegistryHttp.Ints((await http.GetAsync("/subjects/:.r1:address/versions/1/referencedby")).Body));
    }

    [Fact]
    public async Task AContext_IsDeletedOnlyOnceItHasNoSubjects()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        await http.RegisterAsync(":.d1:gone", Schemas.Record("Gone", "a"));
        Assert.Equal([".d1"], RegistryHttp.Strings((await http.GetAsync("/contexts?contextPrefix=.d")).Body));

        var notEmpty = await http.DeleteAsync("/contexts/.d1");
        Assert.Equal((422, 42211), (notEmpty.Status, RegistryHttp.ErrorCode(notEmpty)));
        Assert.Equal("The specified context ':.d1:' is not empty.", notEmpty.Body!["message"]!.GetValue<string>());
        Assert.Equal(200, (await http.DeleteAsync("/subjects/:.d1:gone")).Status);
        Assert.Equal(42211, RegistryHttp.ErrorCode(await http.DeleteAsync("/contexts/.d1")));
        Assert.Equal(200, (await http.DeleteAsync("/subjects/:.d1:gone?permanent=true")).Status);

        Assert.Equal(204, (await http.DeleteAsync("/contexts/.d1")).Status);
        Assert.Empty(RegistryHttp.Strings((await http.GetAsync("/contexts?contextPrefix=.d")).Body));
        // A new schema brings it back, with ids that go on from those it handed out.
        Assert.Equal(2, await http.RegisterAsync(":.d1:back", Schemas.Record("Back", "a")));
        Assert.Equal([".d1"], RegistryHttp.Strings((await http.GetAsync("/contexts?contextPrefix=.d")).Body));
    }
}

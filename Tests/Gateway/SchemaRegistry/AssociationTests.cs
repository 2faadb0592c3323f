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
/// Confluent 8's associations of subjects with topics, driven by Confluent's .NET client, whose serializers look a
/// topic's subject up by association (their default subject name strategy, in the namespace of the Kafka cluster
/// their producer or consumer is connected to) before falling back to <c>topic-value</c>: a topic created with its
/// schema owns a subject in its cluster's context, which the serializers then use; a WEAK
/// association shares a subject; Confluent's rules and error codes hold.
/// </summary>
public sealed class AssociationTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private static GenericRecord Payment(RecordSchema schema, int i)
    {
        var record = new GenericRecord(schema);
        record.Add("id", $"p-{i}");
        record.Add("amount", i * 2.5);
        return record;
    }

    [Fact]
    public async Task ATopicCreatedWithItsSchema_OwnsASubject_ThatConfluentsSerializersFindAndUse_UntilItIsDeletedWithTheTopic()
    {
        await broker.CreateAsync("assoc-payments", 1);
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = broker.BootstrapServers }).Build();
        var cluster = (await admin.DescribeClusterAsync()).ClusterId;
        using var registry = new CachedSchemaRegistryClient(new SchemaRegistryConfig { Url = broker.RegistryUrl });
        var created = await registry.CreateAssociationAsync(new AssociationCreateOrUpdateRequest
        {
            ResourceName = "assoc-payments",
            ResourceNamespace = cluster,
            ResourceId = "topic-id-1",
            Associations = [new AssociationCreateOrUpdateInfo { AssociationType = "value", Schema = new Confluent.SchemaRegistry.Schema(Schemas.PaymentV1, SchemaType.Avro) }],
        });
        var info = Assert.Single(created.Associations);
        Assert.Equal(($":.{cluster}:assoc-payments-value", "STRONG"), (info.Subject, info.Lifecycle));
        Assert.NotNull(info.Schema);

        var found = Assert.Single(await registry.GetAssociationsByResourceNameAsync("assoc-payments", "-", "topic", ["value"], null, 0, -1));
        Assert.Equal(($":.{cluster}:assoc-payments-value", "topic-id-1", cluster, "STRONG"), (found.Subject, found.ResourceId, found.ResourceNamespace, found.Lifecycle));
        Assert.Empty(await registry.GetAssociationsByResourceNameAsync("assoc-payments", "-", "topic", ["key"], null, 0, -1));

        // The serializer (auto-registering, as by default) finds the topic's subject by association, in the cluster its
        // producer is connected to, and uses its schema; the deserializer reads the schema in that subject's context.
        var schema = (RecordSchema)Avro.Schema.Parse(Schemas.PaymentV1);
        await SerdesTopics.ProduceAsync(broker.BootstrapServers, "assoc-payments", Enumerable.Range(0, 10).Select(i => Payment(schema, i)), new AvroSerializer<GenericRecord>(registry));
        using var http = new RegistryHttp(broker.RegistryUrl);
        Assert.Equal(40401, RegistryHttp.ErrorCode(await http.GetAsync("/subjects/assoc-payments-value/versions")));
        Assert.Equal([1], RegistryHttp.Ints((await http.GetAsync($"/subjects/:.{cluster}:assoc-payments-value/versions")).Body));
        var id = (await http.GetAsync($"/subjects/:.{cluster}:assoc-payments-value/versions/1")).Body!["id"]!.GetValue<int>();
        Assert.All(SerdesTopics.Consume(broker.BootstrapServers, "assoc-payments", 10, Deserializers.ByteArray),
            bytes => Assert.Equal(id, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(1))));
        var read = SerdesTopics.Consume(broker.BootstrapServers, "assoc-payments", 10, new AvroDeserializer<GenericRecord>(registry).AsSyncOverAsync());
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"p-{i}"), read.Select(r => (string)r["id"]));

        // The subject stays while the association stands; the association, frozen, goes only with its subject.
        Assert.Equal((409, 40904), Status(await http.DeleteAsync($"/subjects/:.{cluster}:assoc-payments-value")));
        Assert.Equal((409, 40908), Status(await http.DeleteAsync("/associations/resources/topic-id-1")));
        await registry.DeleteAssociationsAsync("topic-id-1", "topic", null, cascadeLifecycle: true);
        Assert.Empty(await registry.GetAssociationsByResourceNameAsync("assoc-payments", "-", "topic", null, null, 0, -1));
        Assert.Equal(40401, RegistryHttp.ErrorCode(await http.GetAsync($"/subjects/:.{cluster}:assoc-payments-value/versions?deleted=true")));
        Assert.Equal((404, 40410), Status(await http.DeleteAsync("/associations/resources/topic-id-1")));
    }

    [Fact]
    public async Task AWeakAssociation_SharesAnExistingSubject_AndTheRulesOfLifecyclesHold()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        object Weak(string name, string id, string subject, string type = "value") => new
        {
            resourceName = name, resourceNamespace = "lkc-2", resourceId = id,
            associations = new[] { new { subject, associationType = type, lifecycle = "WEAK" } },
        };

        // A WEAK association needs a subject with a live version.
        Assert.Equal((409, 40907), Status(await http.PostAsync("/associations", Weak("orders", "orders-id", "shared-orders"))));
        await http.RegisterAsync("shared-orders", Schemas.Record("Order", "a"));
        var created = await http.PostAsync("/associations", Weak("orders", "orders-id", "shared-orders"));
        Assert.Equal(200, created.Status);
        Assert.Equal("WEAK", created.Body!["associations"]![0]!["lifecycle"]!.GetValue<string>());
        Assert.Null(created.Body!["associations"]![0]!["frozen"]);

        // An identical retry writes nothing; another topic may share the subject too.
        var retried = await http.PostAsync("/associations", Weak("orders", "orders-id", "shared-orders"));
        Assert.Equal(200, retried.Status);
        Assert.Null(retried.Body!["associations"]);
        Assert.Equal(200, (await http.PostAsync("/associations", Weak("orders-copy", "orders-copy-id", "shared-orders"))).Status);
        var bySubject = (await http.GetAsync("/associations/subjects/shared-orders")).Body!.AsArray();
        Assert.Equal(["orders", "orders-copy"], bySubject.Select(a => a!["resourceName"]!.GetValue<string>()));

        // Confluent's refusals: a different association for the same type, a WEAK one on the topic's own subject, one
        // lifecycle per resource, a STRONG one created by an upsert, a schema with a WEAK one.
        Assert.Equal((409, 40903), Status(await http.PostAsync("/associations", Weak("orders", "orders-id", "other-subject"))));
        Assert.Equal((422, 42212), Status(await http.PostAsync("/associations", Weak("orders", "orders-id", ":.lkc-2:orders-key", "key"))));
        var mixed = await http.PostAsync("/associations", new
        {
            resourceName = "orders", resourceNamespace = "lkc-2", resourceId = "orders-id",
            associations = new[] { new { associationType = "key", schema = new { schema = Schemas.Record("OrderKey", "k") } } },
        });
        Assert.Equal((422, 42212), Status(mixed));
        Assert.Contains("all associations for a resource must have the same lifecycle, but got value=WEAK, key=STRONG", mixed.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var strongUpsert = await http.PutAsync("/associations/resources/new-id", new
        {
            resourceName = "fresh", resourceNamespace = "lkc-2",
            associations = new[] { new { associationType = "value", lifecycle = "STRONG" } },
        });
        Assert.Equal((422, 42212), Status(strongUpsert));
        Assert.Equal((422, 42212), Status(await http.PostAsync("/associations", new
        {
            resourceName = "weak-with-schema", resourceNamespace = "lkc-2", resourceId = "w",
            associations = new[] { new { subject = "s", lifecycle = "WEAK", schema = new { schema = Schemas.Record("W", "w") } } },
        })));
        Assert.Equal((422, 42212), Status(await http.PostAsync("/associations", new { resourceName = "dotted.name", resourceNamespace = "lkc-2", resourceId = "d", associations = new[] { new { subject = "s" } } })));

        // A subject a topic owns takes no WEAK association from another topic, and no other STRONG one.
        Assert.Equal(200, (await http.PostAsync("/associations", new
        {
            resourceName = "owned", resourceNamespace = "lkc-2", resourceId = "owned-id",
            associations = new[] { new { schema = new { schema = Schemas.Record("Owned", "o") } } },
        })).Status);
        Assert.Equal((409, 40905), Status(await http.PostAsync("/associations", Weak("borrower", "borrower-id", ":.lkc-2:owned-value"))));

        // Deleting WEAK associations leaves their subject.
        Assert.Equal(204, (await http.SendAsync(HttpMethod.Delete, "/associations/resources/orders-id?cascadeLifecycle=true")).Status);
        Assert.Equal([1], RegistryHttp.Ints((await http.GetAsync("/subjects/shared-orders/versions")).Body));
    }

    [Fact]
    public async Task AnUpsertWithASchema_RegistersANewVersionOfTheTopicsOwnSubject_AndAReferenceToItIsRefused()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        var first = await http.PostAsync("/associations", new
        {
            resourceName = "evolving", resourceNamespace = "lkc-3", resourceId = "evolving-id",
            associations = new[] { new { schema = new { schema = Schemas.RecordWithDefaults("Evolving", "a") } } },
        });
        Assert.Equal(200, first.Status);

        var second = await http.PutAsync("/associations/resources/evolving-id", new
        {
            resourceName = "evolving", resourceNamespace = "lkc-3",
            associations = new[] { new { schema = new { schema = Schemas.RecordWithDefaults("Evolving", "a", "b") } } },
        });
        Assert.Equal(200, second.Status);
        Assert.Null(second.Body!["associations"]);
        Assert.Equal([1, 2], RegistryHttp.Ints((await http.GetAsync("/subjects/:.lkc-3:evolving-value/versions")).Body));

        // The subject keeps a live version while the topic owns it; a dry run parses the schema it carries.
        Assert.Equal(200, (await http.DeleteAsync("/subjects/:.lkc-3:evolving-value/versions/1")).Status);
        Assert.Equal((409, 40907), Status(await http.DeleteAsync("/subjects/:.lkc-3:evolving-value/versions/2")));
        var invalid = await http.PostAsync("/associations?dryRun=true", new
        {
            resourceName = "broken", resourceNamespace = "lkc-3",
            associations = new[] { new { schema = new { schema = "{\"type\":\"record\"" } } },
        });
        Assert.Equal((422, 42201), Status(invalid));

        var mismatch = await http.PutAsync("/associations/resources/evolving-id", new { resourceName = "evolving", resourceNamespace = "lkc-3", resourceId = "other", associations = new[] { new { subject = "x" } } });
        Assert.Equal((422, 42212), Status(mismatch));

        var referrer = await http.PostAsync("/subjects/referrer/versions", new
        {
            schema = """{"type":"record","name":"Referrer","fields":[{"name":"e","type":"Evolving"}]}""",
            references = new[] { new { name = "Evolving", subject = ":.lkc-3:evolving-value", version = 1 } },
        });
        Assert.Equal((422, 42205), Status(referrer));

        // Through an association's own schema too.
        var owningReferrer = await http.PostAsync("/associations", new
        {
            resourceName = "referring", resourceNamespace = "lkc-3", resourceId = "referring-id",
            associations = new[]
            {
                new
                {
                    schema = new
                    {
                        schema = """{"type":"record","name":"Referrer","fields":[{"name":"e","type":"Evolving"}]}""",
                        references = new[] { new { name = "Evolving", subject = ":.lkc-3:evolving-value", version = 1 } },
                    },
                },
            },
        });
        Assert.Equal((422, 42205), Status(owningReferrer));
    }

    [Fact]
    public async Task Batches_ApplyEachRequestOnItsOwn_AndAnswerOneResultEach()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        await http.RegisterAsync("batch-shared", Schemas.Record("Shared", "s"));
        var mutated = await http.PostAsync("/associations:batchMutate", new
        {
            requests = new object[]
            {
                new
                {
                    resourceName = "batch-a", resourceNamespace = "lkc-5", resourceId = "batch-a-id",
                    associations = new object[]
                    {
                        new { opType = "CREATE", associationType = "key", schema = new { schema = Schemas.Record("AKey", "k") } },
                        new { opType = "CREATE", associationType = "value", schema = new { schema = Schemas.Record("AValue", "v") } },
                    },
                },
                new
                {
                    resourceName = "batch-b", resourceNamespace = "lkc-5", resourceId = "batch-b-id",
                    associations = new object[] { new { opType = "UPSERT", subject = "nowhere", lifecycle = "WEAK" } },
                },
                new
                {
                    resourceName = "batch-c", resourceNamespace = "lkc-5", resourceId = "batch-c-id",
                    associations = new object[] { new { opType = "UPSERT", subject = "batch-shared", lifecycle = "WEAK" } },
                },
            },
        });
        Assert.Equal(207, mutated.Status);
        var results = mutated.Body!["results"]!.AsArray();
        Assert.Equal(["key", "value"], results[0]!["result"]!["associations"]!.AsArray().Select(a => a!["associationType"]!.GetValue<string>()));
        Assert.Equal(1, results[0]!["result"]!["associations"]![0]!["schema"]!["version"]!.GetValue<int>());
        Assert.Equal(40907, results[1]!["error"]!["error_code"]!.GetValue<int>());
        Assert.Equal("batch-shared", results[2]!["result"]!["associations"]![0]!["subject"]!.GetValue<string>());

        var got = await http.PostAsync("/associations:batchGet?includeSchemas=true", new
        {
            requests = new object[]
            {
                new { resourceId = "batch-a-id", associationTypes = new[] { "value" } },
                new { resourceName = "batch-c", resourceNamespace = "lkc-5" },
                new { resourceName = "unknown", resourceNamespace = "lkc-5" },
                new { resourceName = "no-namespace" },
            },
        });
        Assert.Equal(207, got.Status);
        var answers = got.Body!["results"]!.AsArray();
        Assert.Equal(":.lkc-5:batch-a-value", answers[0]!["result"]!["associations"]!.AsArray().Single()!["subject"]!.GetValue<string>());
        Assert.NotNull(answers[0]!["result"]!["associations"]![0]!["schema"]);
        Assert.Equal("batch-c-id", answers[1]!["result"]!["resourceId"]!.GetValue<string>());
        Assert.Null(answers[2]!["result"]!["associations"]);
        Assert.Equal(500, answers[3]!["error"]!["error_code"]!.GetValue<int>());

        // Deleting within a batch: frozen associations only with cascadeLifecycle, which takes their subjects too.
        var deleted = await http.PostAsync("/associations:batchMutate", new
        {
            requests = new object[]
            {
                new { resourceName = "batch-a", resourceNamespace = "lkc-5", resourceId = "batch-a-id", associations = new object[] { new { opType = "DELETE", associationType = "key" } } },
                new { resourceName = "batch-a", resourceNamespace = "lkc-5", resourceId = "batch-a-id", associations = new object[] { new { opType = "DELETE", associationType = "value", cascadeLifecycle = true } } },
            },
        });
        var outcomes = deleted.Body!["results"]!.AsArray();
        Assert.Equal(40908, outcomes[0]!["error"]!["error_code"]!.GetValue<int>());
        Assert.Equal(["key"], outcomes[1]!["result"]!["associations"]!.AsArray().Select(a => a!["associationType"]!.GetValue<string>()));
        Assert.Equal(40401, RegistryHttp.ErrorCode(await http.GetAsync("/subjects/:.lkc-5:batch-a-value/versions")));
        Assert.Equal((422, 42212), Status(await http.PostAsync("/associations:batchMutate", new { requests = Array.Empty<object>() })));
    }

    [Fact]
    public async Task UnderAContextPath_AnAssociationsSubjectIsInThatContext()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        await http.RegisterAsync(":.team:catalog", Schemas.Record("Item", "a"));
        var created = await http.PostAsync("/contexts/.team/associations", new
        {
            resourceName = "items", resourceNamespace = "lkc-4", resourceId = "items-id",
            associations = new[] { new { subject = "catalog", lifecycle = "WEAK" } },
        });
        Assert.Equal(200, created.Status);
        Assert.Equal(":.team:catalog", created.Body!["associations"]![0]!["subject"]!.GetValue<string>());
        Assert.Equal("items", (await http.GetAsync("/contexts/.team/associations/subjects/catalog")).Body!.AsArray().Single()!["resourceName"]!.GetValue<string>());
        Assert.Empty((await http.GetAsync("/associations/subjects/catalog")).Body!.AsArray());
    }

    [Fact]
    public async Task GetSchemas_FiltersByAssociationAndRuleType_AndShowsTheAssociations()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        await http.RegisterAsync("gs-plain", Schemas.Record("Plain", "p"));
        await http.RegisterAsync("gs-shared", Schemas.Record("Shared", "s"));
        Assert.Equal(200, (await http.PostAsync("/subjects/gs-ruled/versions", new
        {
            schema = Schemas.Record("Ruled", "r"),
            ruleSet = new { domainRules = new[] { new { name = "positive", kind = "CONDITION", mode = "WRITE", type = "CEL", expr = "message.r > 0" } } },
        })).Status);
        Assert.Equal(200, (await http.PostAsync("/associations", new
        {
            resourceName = "gs-topic", resourceNamespace = "lkc-6", resourceId = "gs-topic-id",
            associations = new[] { new { subject = "gs-shared", lifecycle = "WEAK" } },
        })).Status);
        Assert.Equal(200, (await http.PostAsync("/associations", new
        {
            resourceName = "gs-owned", resourceNamespace = "lkc-6", resourceId = "gs-owned-id",
            associations = new[] { new { schema = new { schema = Schemas.Record("Owned", "o") } } },
        })).Status);

        async Task<List<string>> Subjects(string query) =>
            (await http.GetAsync("/schemas?" + query)).Body!.AsArray().Select(s => s!["subject"]!.GetValue<string>()).ToList();

        Assert.Equal(["gs-plain", "gs-ruled", "gs-shared"], await Subjects("subjectPrefix=gs-"));
        Assert.Equal(["gs-shared"], await Subjects("subjectPrefix=gs-&lifecycle=WEAK"));
        Assert.Equal(["gs-plain", "gs-ruled"], await Subjects("subjectPrefix=gs-&lifecycle=NONE"));
        Assert.Equal(["gs-plain", "gs-ruled", "gs-shared"], await Subjects("subjectPrefix=gs-&lifecycle=NONE&lifecycle=WEAK"));
        Assert.Equal([":.lkc-6:gs-owned-value"], await Subjects("subjectPrefix=:.lkc-6:&lifecycle=STRONG"));
        Assert.Equal(["gs-ruled"], await Subjects("subjectPrefix=gs-&ruleType=CEL"));

        var shared = (await http.GetAsync("/schemas?subjectPrefix=gs-&associationType=value")).Body!.AsArray().Single()!;
        Assert.Equal("gs-topic", shared["associations"]![0]!["resourceName"]!.GetValue<string>());
        Assert.Null((await http.GetAsync("/schemas?subjectPrefix=gs-shared")).Body!.AsArray().Single()!["associations"]);
    }

    private static (int, int) Status((int Status, System.Text.Json.Nodes.JsonNode? Body) response) => (response.Status, RegistryHttp.ErrorCode(response));
}

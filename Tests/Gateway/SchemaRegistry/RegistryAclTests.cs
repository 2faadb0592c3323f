using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Confluent.Kafka;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.SchemaRegistry;

/// <summary>
/// The Schema Registry's own ACLs, with the operations of Confluent's Schema Registry ACL authorizer: per subject
/// (read, write, delete, compatibility) and global (compatibility and mode, listing subjects), managed by super users
/// through <c>/acls</c>. Confluent's registry client and Avro serializer, authenticated with HTTP Basic, register and
/// read only what the ACLs allow; a refusal is 403 with 40301 and leaves nothing registered; lists leave out what the
/// caller may not see; a DENY wins over an ALLOW.
/// </summary>
public sealed class RegistryAclTests(RegistryAclTests.AclRegistry broker) : IClassFixture<RegistryAclTests.AclRegistry>
{
    private const string StringSchema = """{"type":"string"}""";

    public sealed class AclRegistry : BrokerFixture
    {
        protected override IReadOnlyList<string> Settings =>
        [
            "--Tributary:SchemaRegistry:Authentication:Method", "BASIC",
            "--Tributary:SchemaRegistry:Authentication:Users:admin", "admin-secret",
            "--Tributary:SchemaRegistry:Authentication:Users:alice", "alice-secret",
            "--Tributary:SchemaRegistry:Authentication:Users:bob", "bob-secret",
            "--Tributary:SchemaRegistry:Authentication:Users:carol", "carol-secret",
            "--Tributary:SchemaRegistry:Authentication:Users:erin", "erin-secret",
            "--Tributary:SchemaRegistry:Authorizer:ClassName", "io.confluent.kafka.schemaregistry.security.authorizer.schemaregistryacl.SchemaRegistryAclAuthorizer",
            "--Tributary:SchemaRegistry:Authorizer:SuperUsers", "User:admin",
        ];
    }

    private CachedSchemaRegistryClient Registry(string user) => new(new SchemaRegistryConfig
    {
        Url = broker.RegistryUrl,
        BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo,
        BasicAuthUserInfo = $"{user}:{user}-secret",
    });

    private HttpClient Http(string user) => new()
    {
        BaseAddress = new Uri(broker.RegistryUrl),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{user}-secret"))) },
    };

    private async Task GrantAsync(string user, string operation, string? subject = null, string pattern = "LITERAL", string permission = "ALLOW")
    {
        using var admin = Http("admin");
        var answer = await admin.PostAsJsonAsync("/acls", new { principal = "User:" + user, operation, subject, pattern_type = pattern, permission });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    private static async Task AssertRefusedAsync(Func<Task> call)
    {
        var refused = await Assert.ThrowsAsync<SchemaRegistryException>(call);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal(40301, refused.ErrorCode);
    }

    [Fact]
    public async Task SubjectAcls_DecideWhoRegistersAndWhoReads_AndSchemasByIdFollowTheirSubjects()
    {
        await GrantAsync("alice", "SUBJECT_WRITE", "acl-orders-", "PREFIXED");
        await GrantAsync("alice", "SUBJECT_READ", "acl-orders-", "PREFIXED");
        await GrantAsync("bob", "SUBJECT_READ", "acl-orders-value");
        using var alice = Registry("alice");
        using var bob = Registry("bob");
        using var carol = Registry("carol");
        using var admin = Registry("admin");

        var id = await alice.RegisterSchemaAsync("acl-orders-value", new Schema(StringSchema, SchemaType.Avro));
        await AssertRefusedAsync(() => alice.RegisterSchemaAsync("acl-payments-value", new Schema(StringSchema, SchemaType.Avro)));
        Assert.DoesNotContain("acl-payments-value", await admin.GetAllSubjectsAsync());

        // Bob reads the subject and the schema by id (Confluent's SCHEMA_READ: a readable subject uses it), but may not write.
        Assert.Equal(id, (await bob.GetLatestSchemaAsync("acl-orders-value")).Id);
        Assert.Equal("\"string\"", (await bob.GetSchemaAsync(id)).SchemaString);
        await AssertRefusedAsync(() => bob.RegisterSchemaAsync("acl-orders-value", new Schema("""{"type":"long"}""", SchemaType.Avro)));
        using var bobHttp = Http("bob");
        Assert.Equal(HttpStatusCode.Forbidden, (await bobHttp.GetAsync("/config/acl-orders-value")).StatusCode);

        // Carol has no ACL: nothing by subject, nothing by id, and the list shows her nothing.
        await AssertRefusedAsync(() => carol.GetLatestSchemaAsync("acl-orders-value"));
        await AssertRefusedAsync(() => carol.GetSchemaAsync(id));
        await AssertRefusedAsync(() => carol.GetSchemaAsync(987654));
        var missing = await Assert.ThrowsAsync<SchemaRegistryException>(() => admin.GetSchemaAsync(987654));
        Assert.Equal(40403, missing.ErrorCode);
        Assert.DoesNotContain("acl-orders-value", await carol.GetAllSubjectsAsync());

        // Lists keep what each may see; the super user sees everything.
        await admin.RegisterSchemaAsync("acl-payments-value", new Schema(StringSchema, SchemaType.Avro));
        var bobs = await bob.GetAllSubjectsAsync();
        Assert.Contains("acl-orders-value", bobs);
        Assert.DoesNotContain("acl-payments-value", bobs);
        Assert.Contains("acl-payments-value", await admin.GetAllSubjectsAsync());
        var usedBy = JsonNode.Parse(await bobHttp.GetStringAsync($"/schemas/ids/{id}/subjects"))!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        Assert.Equal(["acl-orders-value"], usedBy);

        // A DENY wins over the ALLOW; removing it lets bob read again.
        await GrantAsync("bob", "SUBJECT_READ", "acl-orders-value", permission: "DENY");
        Assert.Equal(HttpStatusCode.Forbidden, (await bobHttp.GetAsync("/subjects/acl-orders-value/versions/latest")).StatusCode);
        using var adminHttp = Http("admin");
        var deleted = JsonNode.Parse(await (await adminHttp.DeleteAsync("/acls?principal=User:bob&permission=DENY")).Content.ReadAsStringAsync())!.AsArray();
        Assert.Single(deleted);
        Assert.Equal("SUBJECT_READ", deleted[0]!["operation"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await bobHttp.GetAsync("/subjects/acl-orders-value/versions/latest")).StatusCode);
    }

    [Fact]
    public async Task ConfluentsAvroSerializer_RegistersOnlyWhereTheCallerMayWrite()
    {
        await broker.CreateAsync("acl-serde-ok", 1);
        await broker.CreateAsync("acl-serde-no", 1);
        await GrantAsync("alice", "SUBJECT_WRITE", "acl-serde-ok-value");
        using var alice = Registry("alice");

        await SerdesTopics.ProduceAsync(broker.BootstrapServers, "acl-serde-ok", ["one"], new AvroSerializer<string>(alice));
        var refused = await Assert.ThrowsAsync<ProduceException<string, string>>(
            () => SerdesTopics.ProduceAsync(broker.BootstrapServers, "acl-serde-no", ["two"], new AvroSerializer<string>(alice)));
        Assert.Equal(40301, Assert.IsType<SchemaRegistryException>(refused.InnerException).ErrorCode);

        using var admin = Registry("admin");
        var subjects = await admin.GetAllSubjectsAsync();
        Assert.Contains("acl-serde-ok-value", subjects);
        Assert.DoesNotContain("acl-serde-no-value", subjects);
    }

    [Fact]
    public async Task GlobalAndSubjectConfigAndMode_NeedTheirCompatibilityOperations()
    {
        using var carol = Http("carol");
        var refused = await carol.PutAsJsonAsync("/config", new { compatibility = "FULL" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var body = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal(40301, body["error_code"]!.GetValue<int>());
        Assert.Equal("User is denied operation GLOBAL_COMPATIBILITY_WRITE on the Schema Registry", body["message"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await carol.GetAsync("/config")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await carol.GetAsync("/mode")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await carol.PutAsJsonAsync("/config/acl-config-value", new { compatibility = "NONE" })).StatusCode);

        // A compatibility write implies its read, as Kafka's ALTER_CONFIGS implies DESCRIBE_CONFIGS; the global one covers no subject.
        await GrantAsync("carol", "GLOBAL_COMPATIBILITY_WRITE");
        Assert.Equal(HttpStatusCode.OK, (await carol.PutAsJsonAsync("/config", new { compatibility = "BACKWARD" })).StatusCode);
        Assert.Equal("BACKWARD", JsonNode.Parse(await carol.GetStringAsync("/config"))!["compatibilityLevel"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await carol.GetAsync("/mode")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await carol.PutAsJsonAsync("/config/acl-config-value", new { compatibility = "NONE" })).StatusCode);

        await GrantAsync("carol", "SUBJECT_COMPATIBILITY_WRITE", "acl-config-value");
        Assert.Equal(HttpStatusCode.OK, (await carol.PutAsJsonAsync("/config/acl-config-value", new { compatibility = "NONE" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await carol.PutAsJsonAsync("/mode/acl-config-value", new { mode = "READONLY" })).StatusCode);
        Assert.Equal("READONLY", JsonNode.Parse(await carol.GetStringAsync("/mode/acl-config-value"))!["mode"]!.GetValue<string>());
    }

    [Fact]
    public async Task ContextsAndReferences_GiveNoWayAroundTheAcls()
    {
        using var admin = Http("admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/subjects/:.secret:acl-hidden-value/versions", new { schema = StringSchema })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/subjects/acl-private-value/versions", new { schema = StringSchema })).StatusCode);

        // Erin may read acl-hidden-value in the default context, where it does not exist: the other context's is not hers.
        await GrantAsync("erin", "SUBJECT_READ", "acl-hidden-value");
        using var erin = Http("erin");
        var missing = await erin.GetAsync("/subjects/acl-hidden-value/versions/latest");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await erin.PostAsJsonAsync("/subjects/acl-hidden-value", new { schema = StringSchema })).StatusCode);

        // A context's own config is the global kind: compatibility rights on every subject do not reach it.
        await GrantAsync("erin", "SUBJECT_COMPATIBILITY_WRITE", "*");
        Assert.Equal(HttpStatusCode.Forbidden, (await erin.PutAsJsonAsync("/config/:.:", new { compatibility = "NONE" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await erin.PutAsJsonAsync("/mode/:.secret:", new { mode = "READONLY" })).StatusCode);
        var own = await erin.PutAsJsonAsync("/config/acl-erin-value", new { compatibility = "NONE" });
        Assert.True(own.StatusCode == HttpStatusCode.OK, await own.Content.ReadAsStringAsync());

        // A schema referencing a subject its writer may not read is refused, and nothing registered.
        await GrantAsync("erin", "SUBJECT_WRITE", "acl-erin-value");
        var referencing = await erin.PostAsJsonAsync("/subjects/acl-erin-value/versions", new
        {
            schema = """{"type":"record","name":"Holder","fields":[{"name":"p","type":"string"}]}""",
            references = new[] { new { name = "private.avsc", subject = "acl-private-value", version = 1 } },
        });
        Assert.Equal(HttpStatusCode.Forbidden, referencing.StatusCode);
        Assert.Contains("acl-private-value", await referencing.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/subjects/acl-erin-value/versions")).StatusCode);

        // An ACL holds however its subject was written: a DENY on :.:acl-erin-value is one on acl-erin-value.
        Assert.Equal(HttpStatusCode.OK, (await erin.PostAsJsonAsync("/subjects/acl-erin-value/versions", new { schema = StringSchema })).StatusCode);
        await GrantAsync("erin", "SUBJECT_WRITE", ":.:acl-erin-value", permission: "DENY");
        Assert.Equal(HttpStatusCode.Forbidden, (await erin.PostAsJsonAsync("/subjects/acl-erin-value/versions", new { schema = """{"type":"long"}""" })).StatusCode);
    }

    [Fact]
    public async Task TheAclApi_IsForSuperUsers_AndRefusesAclsItCannotHonour()
    {
        using var alice = Http("alice");
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.GetAsync("/acls")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await alice.PostAsJsonAsync("/acls", new { principal = "User:alice", operation = "GLOBAL_COMPATIBILITY_WRITE" })).StatusCode);

        using var admin = Http("admin");
        foreach (var invalid in new object[]
        {
            new { principal = "User:dave", operation = "SUBJECT_EXPLODE", subject = "x" },
            new { principal = "User:dave", operation = "SUBJECT_READ" },
            new { principal = "User:dave", operation = "GLOBAL_SUBJECTS_READ", subject = "x" },
            new { principal = "dave", operation = "SUBJECT_READ", subject = "x" },
            new { principal = "User:dave", operation = "SUBJECT_READ", subject = "x", pattern_type = "MATCH" },
            new { principal = "User:dave", operation = "SUBJECT_READ", subject = ":.ctx", pattern_type = "PREFIXED" },
            new { principal = "User:dave", operation = "SUBJECT_READ", subject = "x", permission = "any,deny" },
        })
        {
            var answer = await admin.PostAsJsonAsync("/acls", invalid);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.StatusCode);
            Assert.Equal(42200, JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["error_code"]!.GetValue<int>());
        }

        await GrantAsync("dave", "GLOBAL_SUBJECTS_READ");
        await GrantAsync("dave", "SUBJECT_DELETE", "acl-dave-", "PREFIXED");
        var daves = JsonNode.Parse(await admin.GetStringAsync("/acls?principal=User:dave"))!.AsArray();
        Assert.Equal(2, daves.Count);
        var global = daves.Single(a => a!["operation"]!.GetValue<string>() == "GLOBAL_SUBJECTS_READ")!;
        Assert.Null(global["subject"]);
        Assert.Equal("ALLOW", global["permission"]!.GetValue<string>());
        var subjectAcl = daves.Single(a => a!["operation"]!.GetValue<string>() == "SUBJECT_DELETE")!;
        Assert.Equal("acl-dave-", subjectAcl["subject"]!.GetValue<string>());
        Assert.Equal("PREFIXED", subjectAcl["pattern_type"]!.GetValue<string>());

        // Filters that cannot be honoured are refused rather than widened, and a deletion must name something.
        foreach (var query in new[] { "?princpal=User:dave", "?operation=GLOBAL_SUBJECTS_READ&subject=x", "?permission=any,deny", "" })
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, (await admin.DeleteAsync("/acls" + query)).StatusCode);
        }

        Assert.Equal(2, JsonNode.Parse(await admin.GetStringAsync("/acls?principal=User:dave"))!.AsArray().Count);

        // MATCH finds the ACLs that apply to a subject, as Kafka's filters do.
        var applying = JsonNode.Parse(await admin.GetStringAsync("/acls?principal=User:dave&subject=acl-dave-value&pattern_type=MATCH"))!.AsArray();
        Assert.Equal("SUBJECT_DELETE", Assert.Single(applying)!["operation"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("--Tributary:SchemaRegistry:Authorizer:ClassName", "io.confluent.kafka.schemaregistry.security.authorizer.rbac.RbacAuthorizer",
        "Tributary:SchemaRegistry:Authorizer:ClassName: io.confluent.kafka.schemaregistry.security.authorizer.rbac.RbacAuthorizer is not served")]
    [InlineData("--Tributary:SchemaRegistry:Authorizer:SuperUser", "User:admin", "SuperUser")]
    public void SettingsTheRegistryCannotHonour_StopTheStart(string setting, string value, string reason)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Tributary.Silo.TributaryHost.Build([setting, value]));
        Assert.Contains(reason, refused.Message);
    }
}

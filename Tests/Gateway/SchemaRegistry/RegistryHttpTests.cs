using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.SchemaRegistry;

/// <summary>The registry's HTTP API as the Java client and curl use it: deletes, references, verbose checks, errors.</summary>
public sealed class RegistryHttpTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    [Fact]
    public async Task SoftDelete_ThenHardDelete_ThenRegisterAgain_FollowsConfluentsRules()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        var first = await http.RegisterAsync("lifecycle", Schemas.RecordWithDefaults("Life", "a"));
        var second = await http.RegisterAsync("lifecycle", Schemas.RecordWithDefaults("Life", "a", "b"));

        // A permanent delete needs a soft delete first.
        Assert.Equal(40407, RegistryHttp.ErrorCode(await http.DeleteAsync("/subjects/lifecycle/versions/1?permanent=true")));

        var soft = await http.DeleteAsync("/subjects/lifecycle/versions/1");
        Assert.Equal((200, 1), (soft.Status, soft.Body!.GetValue<int>()));
        Assert.Equal(40406, RegistryHttp.ErrorCode(await http.DeleteAsync("/subjects/lifecycle/versions/1")));
        Assert.Equal([2], RegistryHttp.Ints((await http.GetAsync("/subjects/lifecycle/versions")).Body));
        Assert.Equal([1, 2], RegistryHttp.Ints((await http.GetAsync("/subjects/lifecycle/versions?deleted=true")).Body));
        Assert.Equal(40402, RegistryHttp.ErrorCode(await http.GetAsync("/subjects/lifecycle/versions/1")));
        Assert.Equal(first, (await http.GetAsync("/subjects/lifecycle/versions/1?deleted=true")).Body!["id"]!.GetValue<int>());
        Assert.Equal(200, (await http.GetAsync($"/schemas/ids/{first}")).Status);

        Assert.Equal(40405, RegistryHttp.ErrorCode(await http.DeleteAsync("/subjects/lifecycle?permanent=true")));
        Assert.Equal([2], RegistryHttp.Ints((await http.DeleteAsync("/subjects/lifecycle")).Body));
        Assert.Equal(40404, RegistryHttp.ErrorCode(await http.DeleteAsync("/subjects/lifecycle")));
        Assert.Equal(40401, RegistryHttp.ErrorCode(await http.GetAsync("/subjects/lifecycle/versions")));
        Assert.DoesNotContain("lifecycle", RegistryHttp.Strings((await http.GetAsync("/subjects")).Body));
        Assert.Contains("lifecycle", RegistryHttp.Strings((await http.GetAsync("/subjects?deleted=true")).Body));
        Assert.Contains("lifecycle", RegistryHttp.Strings((await http.GetAsync("/subjects?deletedOnly=true")).Body));

        Assert.Equal([1, 2], RegistryHttp.Ints((await http.DeleteAsync("/subjects/lifecycle?permanent=true")).Body));
        Assert.DoesNotContain("lifecycle", RegistryHttp.Strings((await http.GetAsync("/subjects?deleted=true")).Body));
        Assert.Empty(RegistryHttp.Strings((await http.GetAsync($"/schemas/ids/{second}/subjects?deleted=true")).Body));

        // Registered again: numbering starts over, the same schema keeps its id, a new one gets an id never used.
        Assert.Equal(second, await http.RegisterAsync("lifecycle", Schemas.RecordWithDefaults("Life", "a", "b")));
        Assert.Equal(1, (await http.GetAsync("/subjects/lifecycle/versions/latest")).Body!["version"]!.GetValue<int>());
        var third = await http.RegisterAsync("lifecycle", Schemas.RecordWithDefaults("Life", "a", "b", "c"));
        Assert.True(third > second);
    }

    [Fact]
    public async Task BadInput_GetsTheDocumentedErrorCode_AndNothingIsStored()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        await http.RegisterAsync("bad-input", Schemas.Record("Bad", "a"));
        var maxId = (await http.GetAsync("/schemas/ids/1?fetchMaxId=true")).Body!["maxId"]!.GetValue<int>();

        var malformed = await http.SendAsync(HttpMethod.Post, "/subjects/bad-input/versions", "{\"schema\": ");
        Assert.Equal((400, 400), (malformed.Status, RegistryHttp.ErrorCode(malformed)));
        var notAvro = await http.PostAsync("/subjects/bad-input/versions", new { schema = """{"type":"recrd","name":"X"}""" });
        Assert.Equal((422, 42201), (notAvro.Status, RegistryHttp.ErrorCode(notAvro)));
        Assert.Equal(42201, RegistryHttp.ErrorCode(await http.PostAsync("/subjects/bad-input/versions", new { schema = "not json at all" })));
        Assert.Equal(42201, RegistryHttp.ErrorCode(await http.PostAsync("/subjects/bad-input/versions", new { schema = """{"type":"record","name":"X","fields":[{"name":"a","type":"int","default":"one"}]}""" })));
        Assert.Equal(42201, RegistryHttp.ErrorCode(await http.PostAsync("/subjects/bad-input/versions", new { schema = Schemas.Record("X", "a"), schemaType = "XML" })));
        Assert.Equal(42201, RegistryHttp.ErrorCode(await http.PostAsync("/subjects/bad-input/versions", new { schema = Schemas.Customer, references = new[] { new { name = "com.example.Address", subject = "nowhere", version = 1 } } })));
        var wrongType = await http.SendAsync(HttpMethod.Post, "/subjects/bad-input/versions", new { schema = Schemas.Record("Y", "a") }, "text/plain");
        Assert.Equal((415, 415), (wrongType.Status, RegistryHttp.ErrorCode(wrongType)));
        var level = await http.PutAsync("/config/bad-input", new { compatibility = "SIDEWAYS" });
        Assert.Equal((422, 42203), (level.Status, RegistryHttp.ErrorCode(level)));

        Assert.Equal(42202, RegistryHttp.ErrorCode(await http.GetAsync("/subjects/bad-input/versions/abc")));
        Assert.Equal(42202, RegistryHttp.ErrorCode(await http.GetAsync("/subjects/bad-input/versions/0")));
        Assert.Equal(40402, RegistryHttp.ErrorCode(await http.GetAsync("/subjects/bad-input/versions/9")));
        Assert.Equal(40401, RegistryHttp.ErrorCode(await http.GetAsync("/subjects/never-registered/versions/1")));
        Assert.Equal(40403, RegistryHttp.ErrorCode(await http.GetAsync($"/schemas/ids/{maxId + 1000}")));
        Assert.Equal(404, RegistryHttp.ErrorCode(await http.GetAsync("/no/such/path")));

        Assert.Equal([1], RegistryHttp.Ints((await http.GetAsync("/subjects/bad-input/versions")).Body));
        Assert.Equal(40408, RegistryHttp.ErrorCode(await http.GetAsync("/config/bad-input")));
        Assert.Equal(maxId, (await http.GetAsync("/schemas/ids/1?fetchMaxId=true")).Body!["maxId"]!.GetValue<int>());
    }

    [Fact]
    public async Task AVerboseCompatibilityCheck_ListsEveryReason_WithThePathOfTheFieldAtFault()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        await http.RegisterAsync("verbose", Schemas.Record("Verbose", "a"));
        var candidate = new { schema = Schemas.Record("Verbose", "a", "b", "c") };

        var terse = await http.PostAsync("/compatibility/subjects/verbose/versions/latest", candidate);
        Assert.False(terse.Body!["is_compatible"]!.GetValue<bool>());
        Assert.Null(terse.Body["messages"]);

        // The Java client's form: all versions the level names, with a trailing slash.
        var verbose = await http.PostAsync("/compatibility/subjects/verbose/versions/?verbose=true", candidate);
        Assert.False(verbose.Body!["is_compatible"]!.GetValue<bool>());
        var messages = RegistryHttp.Strings(verbose.Body["messages"]);
        Assert.Contains(messages, m => m.Contains("READER_FIELD_MISSING_DEFAULT_VALUE", StringComparison.Ordinal) && m.Contains("/fields/1", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("READER_FIELD_MISSING_DEFAULT_VALUE", StringComparison.Ordinal) && m.Contains("/fields/2", StringComparison.Ordinal));

        var compatible = await http.PostAsync("/compatibility/subjects/verbose/versions/1?verbose=true", new { schema = Schemas.Record("Verbose") });
        Assert.True(compatible.Body!["is_compatible"]!.GetValue<bool>());
        Assert.Empty(compatible.Body["messages"]!.AsArray());

        // A subject with no versions yet accepts any first schema.
        Assert.True((await http.PostAsync("/compatibility/subjects/verbose-empty/versions/latest", candidate)).Body!["is_compatible"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("application/vnd.schemaregistry.v1+json")]
    [InlineData("application/vnd.schemaregistry+json")]
    [InlineData("application/json")]
    [InlineData("application/octet-stream")]
    public async Task EveryContentTypeOfTheApi_IsAccepted_AndAnswersAreTheRegistrysOwn(string contentType)
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        var subject = "content-" + contentType.Replace('/', '-');
        var registered = await http.SendAsync(HttpMethod.Post, $"/subjects/{subject}/versions/", new { schema = Schemas.Record("Content", "a") }, contentType);
        Assert.Equal(200, registered.Status);
        Assert.Contains(subject, RegistryHttp.Strings((await http.GetAsync("/subjects/")).Body));

        using var raw = new HttpClient();
        using var response = await raw.GetAsync($"{broker.RegistryUrl}/subjects/{subject}/versions/latest");
        Assert.Equal("application/vnd.schemaregistry.v1+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AReferencedVersion_ListsWhoReferencesIt_AndCannotBePermanentlyDeleted()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        await http.RegisterAsync("refs.Address", Schemas.Address);
        var customer = await http.RegisterAsync("refs-customer", Schemas.Customer, [new { name = "com.example.Address", subject = "refs.Address", version = 1 }]);

        Assert.Equal([customer], RegistryHttp.Ints((await http.GetAsync("/subjects/refs.Address/versions/1/referencedby")).Body));
        var stored = await http.GetAsync($"/schemas/ids/{customer}");
        Assert.Equal("refs.Address", stored.Body!["references"]![0]!["subject"]!.GetValue<string>());

        Assert.Equal(200, (await http.DeleteAsync("/subjects/refs.Address/versions/1")).Status);
        Assert.Equal(42206, RegistryHttp.ErrorCode(await http.DeleteAsync("/subjects/refs.Address/versions/1?permanent=true")));
        Assert.Equal(42206, RegistryHttp.ErrorCode(await http.DeleteAsync("/subjects/refs.Address?permanent=true")));

        // The referencing schema still resolves its (soft-deleted) reference.
        Assert.Equal(customer, await http.RegisterAsync("refs-customer", Schemas.Customer, [new { name = "com.example.Address", subject = "refs.Address", version = 1 }]));
    }

    [Fact]
    public async Task SchemasAreListed_ById_BySubjectPrefix_AndLatestOnly()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        var shared = await http.RegisterAsync("listing-a", Schemas.RecordWithDefaults("Listed", "a"));
        Assert.Equal(shared, await http.RegisterAsync("listing-b", Schemas.RecordWithDefaults("Listed", "a")));
        await http.RegisterAsync("listing-b", Schemas.RecordWithDefaults("Listed", "a", "b"));

        Assert.Equal(["listing-a", "listing-b"], RegistryHttp.Strings((await http.GetAsync($"/schemas/ids/{shared}/subjects")).Body));
        var usages = (await http.GetAsync($"/schemas/ids/{shared}/versions")).Body!.AsArray()
            .Select(u => (u!["subject"]!.GetValue<string>(), u["version"]!.GetValue<int>()));
        Assert.Equal([("listing-a", 1), ("listing-b", 1)], usages);

        var all = (await http.GetAsync("/schemas?subjectPrefix=listing-")).Body!.AsArray();
        Assert.Equal(3, all.Count);
        var latest = (await http.GetAsync("/schemas?subjectPrefix=listing-&latestOnly=true")).Body!.AsArray()
            .Select(s => (s!["subject"]!.GetValue<string>(), s["version"]!.GetValue<int>()));
        Assert.Equal([("listing-a", 1), ("listing-b", 2)], latest);
        Assert.Equal(["listing-b"], RegistryHttp.Strings((await http.GetAsync("/subjects?subjectPrefix=listing-&offset=1&limit=1")).Body));

        var text = await http.GetAsync($"/schemas/ids/{shared}/schema");
        Assert.Equal("Listed", text.Body!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task ASubjectWithASlash_IsOneSubject()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        var id = await http.RegisterAsync("team/orders-value", Schemas.Record("Slashed", "a"));
        Assert.Equal(id, (await http.GetAsync("/subjects/team%2Forders-value/versions/1")).Body!["id"]!.GetValue<int>());
        Assert.Contains("team/orders-value", RegistryHttp.Strings((await http.GetAsync("/subjects")).Body));
    }
}

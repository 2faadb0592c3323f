using System.Text.Json.Nodes;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.SchemaRegistry;

/// <summary>
/// Explicit versions as Confluent's registry has them (its RestApiTest.testConfluentVersion, step by step): a
/// registration naming its version stores it as the <c>confluent:version</c> metadata property, which later
/// registrations carry forward; version -1 means the latest; lookups find a schema whatever its
/// <c>confluent:version</c> when they send none, and by the one they send only where it is that version's.
/// </summary>
public sealed class ConfluentVersionTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private const string Subject = "cv-test";
    private const string Schema = """{"type":"record","name":"myrecord","fields":[{"name":"f1","type":"string"}]}""";

    private static object Request(int? version = null, string? confluentVersion = null) => new
    {
        schema = Schema,
        version,
        metadata = confluentVersion is null ? null : new { properties = new Dictionary<string, string> { ["confluent:version"] = confluentVersion } },
    };

    [Fact]
    public async Task ExplicitVersions_AreStoredAsConfluentVersion_AndLookupsFindThemAsConfluentsDo()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        async Task<int> Register(object body)
        {
            var answer = await http.PostAsync($"/subjects/{Subject}/versions", body);
            Assert.Equal(200, answer.Status);
            return answer.Body!["id"]!.GetValue<int>();
        }

        async Task<JsonNode> Lookup(object body)
        {
            var answer = await http.PostAsync($"/subjects/{Subject}", body);
            Assert.Equal(200, answer.Status);
            return answer.Body!;
        }

        static string? ConfluentVersion(JsonNode version) => version["metadata"]?["properties"]?["confluent:version"]?.GetValue<string>();

        var first = await Register(Request());
        Assert.Null((await http.GetAsync($"/subjects/{Subject}/versions/latest")).Body!["metadata"]);
        Assert.Equal(first, await Register(Request(version: -1)));
        var second = await Register(Request(version: 2));
        Assert.NotEqual(first, second);
        Assert.Equal(second, await Register(Request(version: -1)));
        var latest = (await http.GetAsync($"/subjects/{Subject}/versions/latest")).Body!;
        Assert.Equal((2, "2"), (latest["version"]!.GetValue<int>(), ConfluentVersion(latest)));

        var plain = await Lookup(Request());
        Assert.Equal((1, null), (plain["version"]!.GetValue<int>(), ConfluentVersion(plain)));
        Assert.Equal(1, (await Lookup(Request(confluentVersion: "1")))["version"]!.GetValue<int>());
        Assert.Equal(2, (await Lookup(Request(confluentVersion: "2")))["version"]!.GetValue<int>());

        Assert.Equal(200, (await http.DeleteAsync($"/subjects/{Subject}/versions/1")).Status);
        Assert.Equal(2, (await Lookup(Request()))["version"]!.GetValue<int>());
        Assert.Equal(second, await Register(Request()));

        var third = await Register(Request(version: 3));
        Assert.Equal(third, await Register(Request(version: -1)));
        var refused = await http.PostAsync($"/subjects/{Subject}/versions", Request(version: 3));
        Assert.Equal((422, 42201), (refused.Status, RegistryHttp.ErrorCode(refused)));
        Assert.Equal("Version is not one more than previous version", refused.Body!["message"]!.GetValue<string>());
        await Register(Request(version: 4));
        Assert.Equal(4, (await Lookup(Request()))["version"]!.GetValue<int>());

        // A confluent:version of -1 asks for the next version; a stored one names its version.
        var fifth = await Register(Request(confluentVersion: "-1"));
        latest = (await http.GetAsync($"/subjects/{Subject}/versions/latest")).Body!;
        Assert.Equal((5, "5", fifth), (latest["version"]!.GetValue<int>(), ConfluentVersion(latest), latest["id"]!.GetValue<int>()));
        Assert.Equal(second, await Register(Request(confluentVersion: "2")));
        Assert.Equal(third, await Register(Request(confluentVersion: "3")));
    }
}

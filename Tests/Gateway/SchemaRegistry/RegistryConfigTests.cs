using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.SchemaRegistry;

/// <summary>Global and per-subject compatibility levels and modes (a registry of its own: these change global settings).</summary>
public sealed class RegistryConfigTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    [Fact]
    public async Task TheGlobalLevel_DefaultsToBackward_AppliesWhereASubjectHasNone_AndIsDeletedBackToTheDefault()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        Assert.Equal("BACKWARD", (await http.GetAsync("/config")).Body!["compatibilityLevel"]!.GetValue<string>());

        await http.RegisterAsync("global-level", Schemas.Record("Global", "a"));
        var put = await http.PutAsync("/config", new { compatibility = "forward" });
        Assert.Equal("FORWARD", put.Body!["compatibility"]!.GetValue<string>());
        Assert.Equal("FORWARD", (await http.GetAsync("/config")).Body!["compatibilityLevel"]!.GetValue<string>());
        Assert.Equal("FORWARD", (await http.GetAsync("/config/global-level?defaultToGlobal=true")).Body!["compatibilityLevel"]!.GetValue<string>());
        Assert.Equal(40408, RegistryHttp.ErrorCode(await http.GetAsync("/config/global-level")));

        // FORWARD: a field added without a default is fine.
        await http.RegisterAsync("global-level", Schemas.Record("Global", "a", "b"));

        // A subject's own level wins over the global one.
        await http.PutAsync("/config/global-level", new { compatibility = "FULL_TRANSITIVE" });
        Assert.Equal("FULL_TRANSITIVE", (await http.GetAsync("/config/global-level")).Body!["compatibilityLevel"]!.GetValue<string>());
        Assert.Equal(409, RegistryHttp.ErrorCode(await http.PostAsync("/subjects/global-level/versions", new { schema = Schemas.Record("Global", "a", "b", "c") })));
        Assert.Equal("FULL_TRANSITIVE", (await http.DeleteAsync("/config/global-level")).Body!["compatibilityLevel"]!.GetValue<string>());
        Assert.Equal(40408, RegistryHttp.ErrorCode(await http.GetAsync("/config/global-level")));

        Assert.Equal("FORWARD", (await http.DeleteAsync("/config")).Body!["compatibilityLevel"]!.GetValue<string>());
        Assert.Equal("BACKWARD", (await http.GetAsync("/config")).Body!["compatibilityLevel"]!.GetValue<string>());
    }

    [Fact]
    public async Task LevelNone_AcceptsAnything()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        await http.RegisterAsync("level-none", Schemas.Record("None1", "a"));
        await http.PutAsync("/config/level-none", new { compatibility = "NONE" });
        await http.RegisterAsync("level-none", """{"type":"enum","name":"Unrelated","symbols":["X"]}""");
        Assert.Equal([1, 2], RegistryHttp.Ints((await http.GetAsync("/subjects/level-none/versions")).Body));
    }

    [Fact]
    public async Task ReadOnlyMode_RefusesRegistrationsAndDeletes_ButServesReads()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        var id = await http.RegisterAsync("frozen", Schemas.Record("Frozen", "a"));
        Assert.Equal(40409, RegistryHttp.ErrorCode(await http.GetAsync("/mode/frozen")));
        Assert.Equal("READWRITE", (await http.GetAsync("/mode/frozen?defaultToGlobal=true")).Body!["mode"]!.GetValue<string>());

        Assert.Equal("READONLY", (await http.PutAsync("/mode/frozen", new { mode = "READONLY" })).Body!["mode"]!.GetValue<string>());
        var refused = await http.PostAsync("/subjects/frozen/versions", new { schema = Schemas.Record("Frozen", "b") });
        Assert.Equal((422, 42205), (refused.Status, RegistryHttp.ErrorCode(refused)));
        Assert.Equal(42205, RegistryHttp.ErrorCode(await http.DeleteAsync("/subjects/frozen")));
        Assert.Equal(id, (await http.GetAsync("/subjects/frozen/versions/latest")).Body!["id"]!.GetValue<int>());

        Assert.Equal(42204, RegistryHttp.ErrorCode(await http.PutAsync("/mode", new { mode = "SIDEWAYS" })));
        Assert.Equal(42205, RegistryHttp.ErrorCode(await http.PutAsync("/mode", new { mode = "IMPORT" })));
        Assert.Equal("READWRITE", (await http.GetAsync("/mode")).Body!["mode"]!.GetValue<string>());

        Assert.Equal("READONLY", (await http.DeleteAsync("/mode/frozen")).Body!["mode"]!.GetValue<string>());
        await http.RegisterAsync("frozen", Schemas.Record("Frozen"));
    }

    [Fact]
    public async Task TheRootAndMetadataEndpoints_Answer()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        Assert.Equal("{}", (await http.GetAsync("/")).Body!.ToJsonString());
        Assert.Equal(["AVRO", "JSON", "PROTOBUF"], RegistryHttp.Strings((await http.GetAsync("/schemas/types")).Body));
        Assert.Equal(["."], RegistryHttp.Strings((await http.GetAsync("/contexts")).Body));
        Assert.NotNull((await http.GetAsync("/v1/metadata/id")).Body!["scope"]!["clusters"]!["kafka-cluster"]);
        Assert.NotNull((await http.GetAsync("/v1/metadata/version")).Body!["version"]);
    }
}

using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.SchemaRegistry;

/// <summary>
/// IMPORT mode on a registry of its own, as a migration from another registry uses it: 1,000 schemas registered with
/// the ids and versions they had, across formats, then normal registration going on above the highest imported id.
/// </summary>
public sealed class ImportModeTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private const int Subjects = 100;
    private const int VersionsPerSubject = 10;
    private const int FirstId = 5_000;

    /// <summary>Version v of subject s: an Avro record with v fields; its id leaves gaps, as ids of a real registry do.</summary>
    private static (string Schema, int Id, int Version) Imported(int s, int v) =>
        (Schemas.Record($"Imported{s}", [.. Enumerable.Range(1, v).Select(f => $"f{f}")]), FirstId + 3 * (s * VersionsPerSubject + v), (s % 2 == 0 ? 0 : 4) + v);

    [Fact]
    public async Task AThousandSchemas_KeepTheirIdsAndVersions_AndNewIdsComeAboveThem()
    {
        using var http = new RegistryHttp(broker.RegistryUrl);
        Assert.Equal("IMPORT", (await http.PutAsync("/mode", new { mode = "IMPORT" })).Body!["mode"]!.GetValue<string>());

        await Parallel.ForAsync(0, Subjects, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (s, _) =>
        {
            using var client = new RegistryHttp(broker.RegistryUrl);
            for (var v = 1; v <= VersionsPerSubject; v++)
            {
                var (schema, id, version) = Imported(s, v);
                var answer = await client.PostAsync($"/subjects/imported-{s}/versions", new { schema, id, version });
                Assert.True(answer.Status == 200, answer.Body?.ToJsonString());
                Assert.Equal(id, answer.Body!["id"]!.GetValue<int>());
            }
        });

        // Without an id, nothing registers in IMPORT mode; an id may not be given to another schema.
        var withoutId = await http.PostAsync("/subjects/imported-0/versions", new { schema = Schemas.Record("Other", "x") });
        Assert.Equal((422, 42205), (withoutId.Status, RegistryHttp.ErrorCode(withoutId)));
        var (firstSchema, firstId, _) = Imported(0, 1);
        var stolen = await http.PostAsync("/subjects/other/versions", new { schema = Schemas.Record("Other", "x"), id = firstId });
        Assert.Equal((422, 42205), (stolen.Status, RegistryHttp.ErrorCode(stolen)));
        Assert.Contains($"Overwrite new schema with id {firstId}", stolen.Body!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        // The same schema under another subject keeps its id.
        var shared = await http.PostAsync("/subjects/shared-copy/versions", new { schema = firstSchema, id = firstId, version = 1 });
        Assert.Equal(firstId, shared.Body!["id"]!.GetValue<int>());

        Assert.Equal(Subjects + 1, RegistryHttp.Strings((await http.GetAsync("/subjects")).Body).Count);
        foreach (var s in new[] { 0, 1, 57, Subjects - 1 })
        {
            var versions = RegistryHttp.Ints((await http.GetAsync($"/subjects/imported-{s}/versions")).Body);
            Assert.Equal(Enumerable.Range(1, VersionsPerSubject).Select(v => Imported(s, v).Version), versions);
            var (schema, id, version) = Imported(s, 7);
            Assert.Equal(id, (await http.GetAsync($"/subjects/imported-{s}/versions/{version}")).Body!["id"]!.GetValue<int>());
            Assert.Equal(schema, (await http.GetAsync($"/schemas/ids/{id}")).Body!["schema"]!.GetValue<string>());
        }

        // Back to READWRITE: ids given are refused, new schemas get ids above every imported one and the next version.
        Assert.Equal("READWRITE", (await http.PutAsync("/mode", new { mode = "READWRITE" })).Body!["mode"]!.GetValue<string>());
        var lastImportedId = Imported(Subjects - 1, VersionsPerSubject).Id;
        var withId = await http.PostAsync("/subjects/imported-3/versions", new { schema = Schemas.Record("Imported3", "x"), id = lastImportedId + 1 });
        Assert.Equal((422, 42205), (withId.Status, RegistryHttp.ErrorCode(withId)));
        // Version 10 without its first field: compatible (BACKWARD), and a schema of its own.
        var next = await http.PostAsync("/subjects/imported-3/versions", new { schema = Schemas.Record("Imported3", [.. Enumerable.Range(2, 9).Select(f => $"f{f}")]) });
        Assert.True(next.Body!["id"]!.GetValue<int>() > lastImportedId);
        Assert.Equal(Imported(3, VersionsPerSubject).Version + 1, (await http.GetAsync("/subjects/imported-3/versions/latest")).Body!["version"]!.GetValue<int>());
        var fresh = await http.RegisterAsync("after-import", Schemas.Record("AfterImport", "a"));
        Assert.True(fresh > lastImportedId);

        // A subject with versions goes into IMPORT mode only when forced.
        var refused = await http.PutAsync("/mode/after-import", new { mode = "IMPORT" });
        var forced = await http.PutAsync("/mode/after-import?force=true", new { mode = "IMPORT" });
        var imported = await http.PostAsync("/subjects/after-import/versions", new { schema = Schemas.Record("AfterImport", "a", "b"), id = 90_000 });
        Assert.Equal((422, 42205), (refused.Status, RegistryHttp.ErrorCode(refused)));
        Assert.Equal("Cannot import since found existing subjects", refused.Body!["message"]!.GetValue<string>());
        Assert.Equal("IMPORT", forced.Body!["mode"]!.GetValue<string>());
        Assert.Equal((90_000, 2), (imported.Body!["id"]!.GetValue<int>(), imported.Body!["version"]!.GetValue<int>()));

        // A version imported past a gap, then deleted for good: the versions registered after it are stored.
        Assert.Equal(200, (await http.PutAsync("/mode/gap", new { mode = "IMPORT" })).Status);
        await http.PostAsync("/subjects/gap/versions", new { schema = Schemas.Record("Gap", "a"), id = 95_000, version = 1 });
        await http.PostAsync("/subjects/gap/versions", new { schema = Schemas.Record("Gap", "a", "b"), id = 95_001, version = 80 });
        Assert.Equal(200, (await http.PutAsync("/mode/gap", new { mode = "READWRITE" })).Status);
        Assert.Equal(200, (await http.DeleteAsync("/subjects/gap/versions/80")).Status);
        Assert.Equal(200, (await http.DeleteAsync("/subjects/gap/versions/80?permanent=true")).Status);
        Assert.Equal(200, (await http.PutAsync("/config/gap", new { compatibility = "NONE" })).Status);
        for (var v = 2; v <= 40; v++)
        {
            var added = await http.PostAsync("/subjects/gap/versions", new { schema = Schemas.Record("Gap", [.. Enumerable.Range(0, v).Select(f => $"g{f}")]) });
            Assert.True(added.Status == 200, added.Body?.ToJsonString());
            Assert.Equal(v, added.Body!["version"]!.GetValue<int>());
        }
    }
}

using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Tributary.Grains.Actors.Persistence;
using Tributary.Grains.Actors.Schemas;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Grains.SchemaRegistry.Avro;
using Tributary.Tests.Gateway.Support;

namespace Tributary.Tests.Gateway.SchemaRegistry;

/// <summary>
/// A subject stored whole, as brokers before the chunked layout stored every version in one record: served as it was,
/// registered on, and still there after a restart once moved into chunks.
/// </summary>
public sealed class LegacySubjectUpgradeTests : IAsyncLifetime
{
    private readonly BrokerFixture _broker = new();

    public Task InitializeAsync() => _broker.InitializeAsync();

    public Task DisposeAsync() => _broker.DisposeAsync();

    [Fact]
    public async Task ASubjectStoredWhole_IsServed_RegisteredOn_AndKeptAcrossARestart()
    {
        await _broker.StopAsync();
        var serializer = new OrleansGrainStorageSerializer(new ServiceCollection()
            .AddSerializer(s => s.AddAssembly(typeof(SubjectState).Assembly))
            .BuildServiceProvider()
            .GetRequiredService<Serializer>());
        var root = Path.Combine(_broker.DataDirectory, ".grain-state");
        string[] schemas = [Schemas.RecordWithDefaults("Legacy", "a"), Schemas.RecordWithDefaults("Legacy", "a", "b")];
        var versions = schemas.Select((schema, i) =>
        {
            var parsed = new AvroFormat().Parse(schema, [], normalize: false);
            return new StoredVersion { Version = i + 1, Id = i + 1, Definition = new SchemaDefinition("AVRO", parsed.Text, []), Identity = parsed.Identity };
        }).ToList();
        WriteLegacy(root, "subject", GrainId.Create("schemasubject", "legacy-value"), serializer.Serialize(new SubjectState
        {
            Versions = versions,
            MaxVersion = 2,
            Compatibility = "FULL",
        }).ToArray());
        WriteLegacy(root, "schema-registry", GrainId.Create("schemaregistry", "0"), serializer.Serialize(new SchemaRegistryState
        {
            LastId = 2,
            Subjects = { ["legacy-value"] = true },
        }).ToArray());

        await _broker.StartAsync();
        using (var http = new RegistryHttp(_broker.RegistryUrl))
        {
            Assert.Equal([1, 2], RegistryHttp.Ints((await http.GetAsync("/subjects/legacy-value/versions")).Body));
            Assert.Equal("FULL", (await http.GetAsync("/config/legacy-value")).Body!["compatibilityLevel"]!.GetValue<string>());
            Assert.Equal(2, await http.RegisterAsync("legacy-value", schemas[1]));
            Assert.Equal(3, await http.RegisterAsync("legacy-value", Schemas.RecordWithDefaults("Legacy", "a", "b", "c")));
        }

        await _broker.StopAsync();
        await _broker.StartAsync();
        using (var http = new RegistryHttp(_broker.RegistryUrl))
        {
            Assert.Equal([1, 2, 3], RegistryHttp.Ints((await http.GetAsync("/subjects/legacy-value/versions")).Body));
            Assert.Equal(1, (await http.GetAsync("/subjects/legacy-value/versions/1")).Body!["id"]!.GetValue<int>());
            Assert.Equal(3, (await http.GetAsync("/subjects/legacy-value/versions/latest")).Body!["id"]!.GetValue<int>());
            Assert.Equal(["legacy-value"], RegistryHttp.Strings((await http.GetAsync("/subjects")).Body));
        }
    }

    private static void WriteLegacy(string root, string stateName, GrainId grain, byte[] payload)
    {
        var path = GrainStateFile.PathOf(root, stateName, grain);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        GrainStateFile.Write(path, 1, payload, cleared: false);
    }
}

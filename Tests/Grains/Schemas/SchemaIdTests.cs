using Tributary.Grains.KafkaFormats.SchemaRegistry;
using Tributary.Grains.Interfaces.Schemas;
using Tributary.Tests.Grains.Support;

namespace Tributary.Tests.Grains.Schemas;

/// <summary>Schema ids across a two-silo cluster: subjects registered at once, on whichever silo their grains live.</summary>
public sealed class SchemaIdTests(TwoBrokerClusterFixture fixture) : IClassFixture<TwoBrokerClusterFixture>
{
    private static SchemaSubmission Record(string name, string field = "a") => new(
        new SchemaDefinition("AVRO", $$"""{"type":"record","name":"{{name}}","fields":[{"name":"{{field}}","type":"int"}]}""", []),
        Normalize: false);

    [Fact]
    public async Task TheSameSchemaRegisteredUnderManySubjectsAtOnce_GetsOneId()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            fixture.Brokers.Grains.GetGrain<ISchemaSubjectGrain>($"same-{i}").RegisterAsync(Record("Same"))));

        Assert.All(results, r => Assert.Equal(RegistryErrors.None, r.ErrorCode));
        var id = Assert.Single(results.Select(r => r.Value!.Id).Distinct());
        var usages = await fixture.Brokers.Grains.GetGrain<ISchemaByIdGrain>(id).GetUsagesAsync();
        Assert.Equal(Enumerable.Range(0, 24).Select(i => $"same-{i}").Order(StringComparer.Ordinal), usages.Select(u => u.Subject).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task DistinctSchemasRegisteredAtOnce_GetDistinctIds_ThatAreNeverReused()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            fixture.Brokers.Grains.GetGrain<ISchemaSubjectGrain>($"distinct-{i}").RegisterAsync(Record($"Distinct{i}"))));
        var ids = results.Select(r => r.Value!.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            var stored = await fixture.Brokers.Grains.GetGrain<ISchemaByIdGrain>(id).GetAsync();
            Assert.Contains($"Distinct{i}", stored!.Definition.Schema, StringComparison.Ordinal);
        }

        // Deleted for good, then registered again as another schema: a new id, above every one before.
        var subject = fixture.Brokers.Grains.GetGrain<ISchemaSubjectGrain>("distinct-0");
        Assert.Equal(RegistryErrors.None, (await subject.DeleteAsync(permanent: false)).ErrorCode);
        Assert.Equal(RegistryErrors.None, (await subject.DeleteAsync(permanent: true)).ErrorCode);
        await subject.SetConfigAsync(new RegistryConfig("NONE", null));
        var again = await subject.RegisterAsync(Record("Distinct0", "b"));
        Assert.True(again.Value!.Id > ids.Max());
        Assert.Equal(ids[0], (await subject.RegisterAsync(Record("Distinct0"))).Value!.Id);
    }
}

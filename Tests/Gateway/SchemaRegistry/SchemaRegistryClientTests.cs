using System.Net;
using Confluent.SchemaRegistry;
using Tributary.Tests.Gateway.Support;
using RegistrySchema = Confluent.SchemaRegistry.Schema;

namespace Tributary.Tests.Gateway.SchemaRegistry;

/// <summary>Confluent's CachedSchemaRegistryClient against the registry of the embedded platform, call by call.</summary>
public sealed class SchemaRegistryClientTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private CachedSchemaRegistryClient Client() => new(new SchemaRegistryConfig { Url = broker.RegistryUrl });

    [Fact]
    public async Task ARegisteredSchema_IsFoundByIdSubjectVersionAndLookup_ThroughEveryReadCall()
    {
        using var client = Client();
        var id = await client.RegisterSchemaAsync("payments-value", Schemas.PaymentV1);
        Assert.True(id > 0);

        // A fresh client, so that nothing comes from the first one's caches.
        using var reader = Client();
        Assert.Equal(id, await reader.GetSchemaIdAsync("payments-value", Schemas.PaymentV1));
        var byId = await reader.GetSchemaAsync(id);
        Assert.Equal(SchemaType.Avro, byId.SchemaType);
        Assert.Equal(Avro.Schema.Parse(Schemas.PaymentV1), Avro.Schema.Parse(byId.SchemaString));
        Assert.Equal(byId.SchemaString, (await reader.GetSchemaBySubjectAndIdAsync("payments-value", id)).SchemaString);

        var looked = await reader.LookupSchemaAsync("payments-value", new RegistrySchema(Schemas.PaymentV1, SchemaType.Avro), ignoreDeletedSchemas: true);
        Assert.Equal(("payments-value", 1, id), (looked.Subject, looked.Version, looked.Id));

        var registered = await reader.GetRegisteredSchemaAsync("payments-value", 1);
        Assert.Equal((1, id, byId.SchemaString), (registered.Version, registered.Id, registered.SchemaString));
        var latest = await reader.GetLatestSchemaAsync("payments-value");
        Assert.Equal((1, id), (latest.Version, latest.Id));
        // A version without metadata matches no metadata filter, not even an empty one, as in Confluent's registry.
        var withoutMetadata = await Assert.ThrowsAsync<SchemaRegistryException>(() =>
            reader.GetLatestWithMetadataAsync("payments-value", new Dictionary<string, string>(), ignoreDeletedSchemas: true));
        Assert.Equal(40403, withoutMetadata.ErrorCode);
#pragma warning disable CS0618 // Still offered by the client.
        Assert.Equal(byId.SchemaString, await reader.GetSchemaAsync("payments-value", 1));
#pragma warning restore CS0618

        using var registrar = Client();
        var response = await registrar.RegisterSchemaWithResponseAsync("payments-value", new RegistrySchema(Schemas.PaymentV1, SchemaType.Avro));
        Assert.Equal(id, response.Id);
        Assert.True(Guid.TryParse(response.Guid, out _));
        using var byGuid = Client();
        Assert.Equal(byId.SchemaString, (await byGuid.GetSchemaByGuidAsync(response.Guid)).SchemaString);
        var unknownGuid = await Assert.ThrowsAsync<SchemaRegistryException>(() => byGuid.GetSchemaByGuidAsync(Guid.NewGuid().ToString()));
        Assert.Equal(40403, unknownGuid.ErrorCode);

        Assert.Contains("payments-value", await reader.GetAllSubjectsAsync());
        Assert.Equal([1], await reader.GetSubjectVersionsAsync("payments-value"));
    }

    [Fact]
    public async Task ACompatibleEvolution_GetsTheNextVersion_AndRegisteringAgainReturnsTheSameId()
    {
        using var client = Client();
        var v1 = await client.RegisterSchemaAsync("evolve-value", Schemas.PaymentV1);
        Assert.True(await client.IsCompatibleAsync("evolve-value", Schemas.PaymentV2));
        var v2 = await client.RegisterSchemaWithResponseAsync("evolve-value", new RegistrySchema(Schemas.PaymentV2, SchemaType.Avro));
        Assert.NotEqual(v1, v2.Id);

        // The answer carries what Confluent's RegisterSchemaResponse does: the version and the schema as stored, too.
        Assert.Equal(2, v2.Version);
        Assert.Equal((await client.GetSchemaAsync(v2.Id)).SchemaString, v2.SchemaString);
        var again = await client.RegisterSchemaWithResponseAsync("evolve-value", new RegistrySchema(Schemas.PaymentV1, SchemaType.Avro));
        Assert.Equal((v1, 1), (again.Id, again.Version));

        using var fresh = Client();
        Assert.Equal(v2.Id, await fresh.RegisterSchemaAsync("evolve-value", Schemas.PaymentV2));
        Assert.Equal(v1, await fresh.RegisterSchemaAsync("evolve-value", Schemas.PaymentV1));
        Assert.Equal([1, 2], await fresh.GetSubjectVersionsAsync("evolve-value"));
        Assert.Equal(2, (await fresh.GetLatestSchemaAsync("evolve-value")).Version);
    }

    [Fact]
    public async Task AnIncompatibleEvolution_IsRejectedWith409_AndNotStored()
    {
        using var client = Client();
        await client.RegisterSchemaAsync("strict-value", Schemas.PaymentV1);
        Assert.False(await client.IsCompatibleAsync("strict-value", Schemas.PaymentWithoutDefault));

        var rejected = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync("strict-value", Schemas.PaymentWithoutDefault));
        Assert.Equal(HttpStatusCode.Conflict, rejected.Status);
        Assert.Equal(409, rejected.ErrorCode);
        Assert.Contains("region", rejected.Message, StringComparison.Ordinal);
        Assert.Equal([1], await client.GetSubjectVersionsAsync("strict-value"));
    }

    [Fact]
    public async Task TheSameSchemaUnderTwoSubjects_HasOneId()
    {
        using var client = Client();
        var schema = Schemas.Record("Shared", "a", "b");
        var first = await client.RegisterSchemaAsync("shared-a", schema);
        var second = await client.RegisterSchemaAsync("shared-b", schema);
        Assert.Equal(first, second);

        // Whitespace and docs are no different schema.
        Assert.Equal(first, await client.RegisterSchemaAsync("shared-c", schema.Replace(",", " ,\n ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task CompatibilityLevels_AreSetAndReadPerSubject_AndDecideRegistrations()
    {
        using var client = Client();
        await client.RegisterSchemaAsync("levels-value", Schemas.PaymentV1);
        Assert.Equal(Compatibility.Forward, await client.UpdateCompatibilityAsync(Compatibility.Forward, "levels-value"));
        Assert.Equal(Compatibility.Forward, await client.GetCompatibilityAsync("levels-value"));

        // A field added without a default can be read by the previous schema: FORWARD accepts what BACKWARD refused.
        Assert.True(await client.IsCompatibleAsync("levels-value", Schemas.PaymentWithoutDefault));
        await client.RegisterSchemaAsync("levels-value", Schemas.PaymentWithoutDefault);
        Assert.Equal([1, 2], await client.GetSubjectVersionsAsync("levels-value"));
    }

    [Fact]
    public async Task UnknownSubjectsVersionsAndIds_AreTheClientsErrors()
    {
        using var client = Client();
        var subject = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetLatestSchemaAsync("no-such-subject"));
        Assert.Equal((HttpStatusCode.NotFound, 40401), (subject.Status, subject.ErrorCode));

        await client.RegisterSchemaAsync("one-version", Schemas.Record("OneVersion", "a"));
        var version = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetRegisteredSchemaAsync("one-version", 7));
        Assert.Equal(40402, version.ErrorCode);

        var id = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetSchemaAsync(987654));
        Assert.Equal(40403, id.ErrorCode);

        var lookup = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.GetSchemaIdAsync("one-version", Schemas.Record("OneVersion", "b")));
        Assert.Equal(40403, lookup.ErrorCode);

        var invalid = await Assert.ThrowsAsync<SchemaRegistryException>(() => client.RegisterSchemaAsync("one-version", """{"type":"record","name":"X","fields":[{"name":"a","type":"no.such.Type"}]}"""));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, 42201), (invalid.Status, invalid.ErrorCode));
        Assert.Equal([1], await client.GetSubjectVersionsAsync("one-version"));
    }

    [Fact]
    public async Task ASchemaReferencingARecordOfAnotherSubject_IsRegisteredAndResolved()
    {
        using var client = Client();
        var address = await client.RegisterSchemaAsync("com.example.Address", Schemas.Address);
        var customer = new RegistrySchema(Schemas.Customer, [new SchemaReference("com.example.Address", "com.example.Address", 1)], SchemaType.Avro);
        var id = await client.RegisterSchemaAsync("customers-value", customer);
        Assert.NotEqual(address, id);

        using var fresh = Client();
        var stored = await fresh.GetSchemaAsync(id);
        var reference = Assert.Single(stored.References);
        Assert.Equal(("com.example.Address", "com.example.Address", 1), (reference.Name, reference.Subject, reference.Version));
        Assert.Equal(id, await fresh.GetSchemaIdAsync("customers-value", customer));

        // Without its reference the schema names a type nobody defines.
        var unresolved = await Assert.ThrowsAsync<SchemaRegistryException>(() => fresh.RegisterSchemaAsync("customers-bare", Schemas.Customer));
        Assert.Equal(42201, unresolved.ErrorCode);
    }
}

using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Avro;
using Tributary.Tests.Connect.Avro.Support;

namespace Tributary.Tests.Connect.Avro;

/// <summary>A subject's schema evolving across two versions: both read back with their own schema and version, or projected onto the latest.</summary>
public sealed class SchemaEvolutionTests(RegistryFixture registry) : IClassFixture<RegistryFixture>
{
    private static readonly Schema V1 = SchemaBuilder.Struct().WithName("com.example.User")
        .Field("id", Schema.Int64)
        .Field("name", Schema.String)
        .Build();

    private static readonly Schema V2 = SchemaBuilder.Struct().WithName("com.example.User")
        .Field("id", Schema.Int64)
        .Field("name", Schema.String)
        .Field("email", Schema.OptionalString)
        .Field("score", SchemaBuilder.Int32().DefaultValue(10).Build())
        .Build();

    [Fact]
    public async Task BothVersions_AreRegistered_AndReadWithTheirOwnSchema()
    {
        using var converter = registry.Converter();
        var old = converter.FromConnectData("users", V1, new Struct(V1).Put("id", 1L).Put("name", "old"))!;
        var current = converter.FromConnectData("users", V2, new Struct(V2).Put("id", 2L).Put("name", "new").Put("email", "e@x").Put("score", 5))!;

        var readOld = converter.ToConnectData("users", old);
        var readNew = converter.ToConnectData("users", current);

        using var client = registry.Client();
        Assert.Equal([1, 2], await client.GetSubjectVersionsAsync("users-value"));
        Assert.Equal(1, readOld.Schema!.Version);
        Assert.Equal(2, readNew.Schema!.Version);
        Assert.Null(readOld.Schema.Field("email"));
        Assert.Equal("old", ((Struct)readOld.Value!).Get("name"));
        Assert.Equal("e@x", ((Struct)readNew.Value!).Get("email"));
        Assert.Equal(5, ((Struct)readNew.Value!).Get("score"));
    }

    [Fact]
    public void RecordsOfTwoVersionsInterleaved_AreEachReadWithTheirOwnFields()
    {
        var reordered = SchemaBuilder.Struct().WithName("com.example.User")
            .Field("name", Schema.String)
            .Field("id", Schema.Int64)
            .Field("email", Schema.OptionalString)
            .Build();
        using var converter = registry.Converter();
        var first = converter.FromConnectData("users-interleaved", V1, new Struct(V1).Put("id", 1L).Put("name", "one"))!;
        var second = converter.FromConnectData("users-interleaved", reordered, new Struct(reordered).Put("id", 2L).Put("name", "two").Put("email", "t@x"))!;

        for (var round = 0; round < 3; round++)
        {
            var one = (Struct)converter.ToConnectData("users-interleaved", first).Value!;
            var two = (Struct)converter.ToConnectData("users-interleaved", second).Value!;

            Assert.Equal((1L, "one"), ((long)one.Get("id")!, (string)one.Get("name")!));
            Assert.Equal((2L, "two", "t@x"), ((long)two.Get("id")!, (string)two.Get("name")!, (string)two.Get("email")!));
        }
    }

    [Fact]
    public void WithUseLatestVersion_OldDataIsReadInTheLatestSchema_WithDefaults()
    {
        using var converter = registry.Converter();
        var old = converter.FromConnectData("users-latest", V1, new Struct(V1).Put("id", 1L).Put("name", "old"))!;
        converter.FromConnectData("users-latest", V2, new Struct(V2).Put("id", 2L).Put("name", "new"));
        using var reader = registry.Converter(false, (AvroConverterConfig.UseLatestVersionConfig, "true"));

        var read = reader.ToConnectData("users-latest", old);

        var value = Assert.IsType<Struct>(read.Value);
        Assert.NotNull(read.Schema!.Field("email"));
        Assert.Equal("old", value.Get("name"));
        Assert.Null(value.Get("email"));
        Assert.Equal(10, value.Get("score"));
    }

    [Fact]
    public void AnIncompatibleChange_IsRefusedByTheRegistry()
    {
        var renamed = SchemaBuilder.Struct().WithName("com.example.User").Field("id", Schema.String).Build();
        using var converter = registry.Converter();
        converter.FromConnectData("users-incompatible", V1, new Struct(V1).Put("id", 1L).Put("name", "a"));

        Assert.Throws<DataException>(() => converter.FromConnectData("users-incompatible", renamed, new Struct(renamed).Put("id", "x")));
    }
}

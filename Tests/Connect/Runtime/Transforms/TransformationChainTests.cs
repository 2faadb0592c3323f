using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Runtime.Transforms;

namespace Tributary.Tests.Connect.Runtime.Transforms;

public sealed class TransformationChainTests
{
    private static SourceRecord Record(string topic = "t", string value = "v") => new(null, null, topic, Schema.String, value);

    private static TransformationChain<SourceRecord> Chain(params (string Key, string Value)[] config) =>
        TransformationChain<SourceRecord>.Build(TestPlugins.Registry, config.ToDictionary(p => p.Key, p => p.Value));

    [Fact]
    public void Apply_RunsTheTransformsInTheOrderTransformsNamesThem()
    {
        using var chain = Chain(
            ("transforms", "second, first"),
            ("transforms.first.type", "AppendSuffix"), ("transforms.first.suffix", "-1"),
            ("transforms.second.type", "Tributary.Tests.Connect.Runtime.Transforms.AppendSuffix"), ("transforms.second.suffix", "-2"));

        var result = chain.Apply(Record());

        Assert.Equal(2, chain.Count);
        Assert.Equal("v-2-1", result!.Value);
    }

    [Fact]
    public void Apply_WithoutTransforms_ReturnsTheSameRecord()
    {
        var record = Record();

        Assert.Same(record, Chain().Apply(record));
        Assert.Same(record, TransformationChain<SourceRecord>.Empty.Apply(record));
    }

    [Fact]
    public void Apply_WithAPredicate_TransformsOnlyMatchingRecords()
    {
        using var chain = Chain(
            ("transforms", "x"), ("transforms.x.type", "AppendSuffix"), ("transforms.x.suffix", "!"), ("transforms.x.predicate", "isA"),
            ("predicates", "isA"), ("predicates.isA.type", "TopicIs"), ("predicates.isA.topic", "a"));

        Assert.Equal("v!", chain.Apply(Record("a"))!.Value);
        Assert.Equal("v", chain.Apply(Record("b"))!.Value);
    }

    [Fact]
    public void Apply_WithANegatedPredicate_TransformsOnlyRecordsThatDoNotMatch()
    {
        using var chain = Chain(
            ("transforms", "x"), ("transforms.x.type", "AppendSuffix"), ("transforms.x.suffix", "!"),
            ("transforms.x.predicate", "isA"), ("transforms.x.negate", "true"),
            ("predicates", "isA"), ("predicates.isA.type", "TopicIs"), ("predicates.isA.topic", "a"));

        Assert.Equal("v", chain.Apply(Record("a"))!.Value);
        Assert.Equal("v!", chain.Apply(Record("b"))!.Value);
    }

    [Fact]
    public void Apply_ATransformThatDrops_EndsTheChain()
    {
        using var chain = Chain(
            ("transforms", "drop,boom"), ("transforms.drop.type", "DropAll"), ("transforms.boom.type", "Explode"));

        Assert.Null(chain.Apply(Record()));
    }

    [Fact]
    public void Apply_DropOnlyWhenThePredicateHolds_KeepsTheOthers()
    {
        using var chain = Chain(
            ("transforms", "drop"), ("transforms.drop.type", "DropAll"), ("transforms.drop.predicate", "isA"),
            ("predicates", "isA"), ("predicates.isA.type", "TopicIs"), ("predicates.isA.topic", "a"));

        Assert.Null(chain.Apply(Record("a")));
        Assert.NotNull(chain.Apply(Record("b")));
    }

    [Fact]
    public void Build_UnknownTransformType_ThrowsConfigException()
    {
        Assert.Throws<ConfigException>(() => Chain(("transforms", "x"), ("transforms.x.type", "Nope")));
    }

    [Fact]
    public void Build_PredicateAliasNotDefined_ThrowsConfigException()
    {
        var error = Assert.Throws<ConfigException>(() => Chain(
            ("transforms", "x"), ("transforms.x.type", "AppendSuffix"), ("transforms.x.suffix", "!"), ("transforms.x.predicate", "missing")));

        Assert.Equal("transforms.x.predicate", error.Name);
    }

    [Fact]
    public void Build_TransformMissingItsOwnRequiredConfig_ThrowsConfigException()
    {
        var error = Assert.Throws<ConfigException>(() => Chain(("transforms", "x"), ("transforms.x.type", "AppendSuffix")));

        Assert.Equal("Missing required configuration \"suffix\" which has no default value.", error.Message);
    }
}

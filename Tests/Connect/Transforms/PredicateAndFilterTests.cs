using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Sink;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Transforms;
using Tributary.Grains.Connect.Transforms.Predicates;
using static Tributary.Tests.Connect.Transforms.TestRecords;

namespace Tributary.Tests.Connect.Transforms;

public sealed class PredicateAndFilterTests
{
    [Fact]
    public void Filter_DropsEveryRecord()
    {
        Assert.Null(new Filter<SourceRecord>().Configured().Apply(Value(null, "x")));
        Assert.Null(new Filter<SinkRecord>().Configured().Apply(Sink(null, "x")));
    }

    [Theory]
    [InlineData("my-prefix-.*", "my-prefix-topic", true)]
    [InlineData("my-prefix-.*", "other-my-prefix-topic", false)]
    [InlineData("topic", "topic-suffix", false)]
    public void TopicNameMatches_TestsTheWholeTopicName(string pattern, string topic, bool expected) =>
        Assert.Equal(expected, new TopicNameMatches<SourceRecord>().Configured(("pattern", pattern)).Test(Value(null, null, topic)));

    [Theory]
    [InlineData("")]
    [InlineData("[")]
    public void TopicNameMatches_WithEmptyOrInvalidPattern_ThrowsConfigException(string pattern) =>
        Assert.Throws<ConfigException>(() => new TopicNameMatches<SourceRecord>().Configured(("pattern", pattern)));

    [Fact]
    public void TopicNameMatches_WithoutPattern_ThrowsConfigException() =>
        Assert.Throws<ConfigException>(() => new TopicNameMatches<SourceRecord>().Configured());

    [Fact]
    public void HasHeaderKey_IsTrueOnlyWhenAHeaderHasTheName()
    {
        var predicate = new HasHeaderKey<SourceRecord>().Configured(("name", "foo"));
        var record = Value(null, null);
        Assert.False(predicate.Test(record));
        record.Headers.AddString("bar", "x");
        Assert.False(predicate.Test(record));
        record.Headers.AddString("foo", "y");
        Assert.True(predicate.Test(record));
        Assert.Equal("HasHeaderKey{name='foo'}", predicate.ToString());
    }

    [Fact]
    public void HasHeaderKey_WithEmptyOrMissingName_ThrowsConfigException()
    {
        Assert.Throws<ConfigException>(() => new HasHeaderKey<SourceRecord>().Configured(("name", "")));
        Assert.Throws<ConfigException>(() => new HasHeaderKey<SourceRecord>().Configured());
    }

    [Fact]
    public void RecordIsTombstone_IsTrueOnlyForNullValues()
    {
        var predicate = new RecordIsTombstone<SinkRecord>().Configured();
        Assert.True(predicate.Test(Sink(Schema.OptionalString, null)));
        Assert.False(predicate.Test(Sink(null, "x")));
    }
}

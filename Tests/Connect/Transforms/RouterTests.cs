using Tributary.Grains.Connect.Api.Config;
using Tributary.Grains.Connect.Api.Data;
using Tributary.Grains.Connect.Api.Source;
using Tributary.Grains.Connect.Transforms;
using static Tributary.Tests.Connect.Transforms.TestRecords;

namespace Tributary.Tests.Connect.Transforms;

public sealed class RouterTests
{
    private static string Route(string regex, string replacement, string topic) =>
        new RegexRouter<SourceRecord>().Configured(("regex", regex), ("replacement", replacement)).Apply(Value(null, null, topic))!.Topic;

    [Theory]
    [InlineData("(.*)", "prefix-$1", "orig", "prefix-orig")]
    [InlineData("(.*)", "$1-suffix", "orig", "orig-suffix")]
    [InlineData("(.*)-(.*)", "$2.$1", "a-b", "b.a")]
    [InlineData("(?<name>[a-z]+)_topic", "${name}", "users_topic", "users")]
    [InlineData("db\\.(.*)", "\\$$1", "db.orders", "$orders")]
    [InlineData("(.*)_v1", "$1", "orders_v2", "orders_v2")]
    [InlineData("orig", "x", "original", "original")]
    public void RegexRouter_RenamesOnlyTopicsThatMatchWhole(string regex, string replacement, string topic, string expected) =>
        Assert.Equal(expected, Route(regex, replacement, topic));

    [Fact]
    public void RegexRouter_KeepsEverythingButTheTopic()
    {
        var record = Value(Schema.String, "v", "a", timestamp: 9);
        var result = new RegexRouter<SourceRecord>().Configured(("regex", "a"), ("replacement", "b")).Apply(record)!;
        Assert.Equal("b", result.Topic);
        Assert.Equal("v", result.Value);
        Assert.Equal(9, result.Timestamp);
    }

    [Theory]
    [InlineData("(unclosed", "x")]
    [InlineData("(.*)", "$2")]
    public void RegexRouter_WithBadRegexOrReplacement_ThrowsConfigException(string regex, string replacement) =>
        Assert.Throws<ConfigException>(() => new RegexRouter<SourceRecord>().Configured(("regex", regex), ("replacement", replacement)));

    [Fact]
    public void TimestampRouter_WithDefaults_AppendsTheUtcDay()
    {
        var millis = new DateTimeOffset(2017, 1, 2, 23, 59, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var result = new TimestampRouter<SourceRecord>().Configured().Apply(Value(null, null, "test", millis))!;
        Assert.Equal("test-20170102", result.Topic);
    }

    [Fact]
    public void TimestampRouter_WithCustomFormats_FillsBothPlaceholders()
    {
        var millis = new DateTimeOffset(2024, 3, 5, 7, 8, 9, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var result = new TimestampRouter<SourceRecord>().Configured(("topic.format", "${timestamp}_${topic}"), ("timestamp.format", "yyyy-MM-dd'T'HH"))
            .Apply(Value(null, null, "t", millis))!;
        Assert.Equal("2024-03-05T07_t", result.Topic);
    }

    [Fact]
    public void TimestampRouter_RecordWithoutTimestamp_ThrowsDataException() =>
        Assert.Throws<DataException>(() => new TimestampRouter<SourceRecord>().Configured().Apply(Value(null, null)));

    [Fact]
    public void TimestampRouter_WithUnsupportedPattern_ThrowsConfigException() =>
        Assert.Throws<ConfigException>(() => new TimestampRouter<SourceRecord>().Configured(("timestamp.format", "yyyy-ww")));
}

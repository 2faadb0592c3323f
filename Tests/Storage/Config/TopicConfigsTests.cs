using Tributary.Grains.KafkaFormats.Records;
using Tributary.Grains.Storage;
using Tributary.Grains.Storage.Config;

namespace Tributary.Tests.Storage.Config;

public sealed class TopicConfigsTests
{
    [Fact]
    public void NoOverrides_GiveKafkasDefaults()
    {
        Assert.Equal(LogConfig.Default, TopicConfigs.ToLogConfig(new Dictionary<string, string>()));
        Assert.Equal("604800000", TopicConfigs.ByName["retention.ms"].DefaultValue);
        Assert.Equal("1048588", TopicConfigs.ByName["max.message.bytes"].DefaultValue);
        Assert.Equal("log.segment.bytes", TopicConfigs.ByName["segment.bytes"].BrokerSynonym);
    }

    [Fact]
    public void Overrides_ReachTheLogConfig()
    {
        var config = TopicConfigs.ToLogConfig(new Dictionary<string, string>
        {
            ["segment.bytes"] = "1048576",
            ["retention.ms"] = "-1",
            ["message.timestamp.type"] = "LogAppendTime",
            ["flush.messages"] = "1",
            ["message.timestamp.difference.max.ms"] = "5000",
        });

        Assert.Equal(1048576, config.SegmentBytes);
        Assert.Equal(-1, config.RetentionMs);
        Assert.Equal(TimestampType.LogAppendTime, config.MessageTimestampType);
        Assert.True(config.IsDurable);
        Assert.Equal(5000, config.MessageTimestampBeforeMaxMs);
        Assert.Equal(5000, config.MessageTimestampAfterMaxMs);
    }

    [Theory]
    [InlineData("delete", null, false)]
    [InlineData("compact", null, true)]
    [InlineData("compact,delete", null, true)]
    [InlineData("delete, compact", null, true)]
    [InlineData(null, "compact", true)]
    [InlineData("delete", "compact", false)]
    public void ACleanupPolicyNamingCompact_MakesTheLogCompacted_FromTheTopicOrTheBrokerDefault(string? topic, string? broker, bool compact)
    {
        var own = topic is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["cleanup.policy"] = topic };
        var defaults = broker is null ? null : new Dictionary<string, string> { ["cleanup.policy"] = broker };

        Assert.Equal(compact, TopicConfigs.ToLogConfig(own, defaults).Compact);
    }

    [Theory]
    [InlineData("retention.ms", "-2")]
    [InlineData("retention.ms", "1.5")]
    [InlineData("segment.bytes", "13")]
    [InlineData("cleanup.policy", "delete,forever")]
    [InlineData("compression.type", "brotli")]
    [InlineData("message.timestamp.type", "Now")]
    [InlineData("min.cleanable.dirty.ratio", "1.5")]
    [InlineData("unclean.leader.election.enable", "yes")]
    [InlineData("flush.messages", "0")]
    [InlineData("not.a.config", "1")]
    public void InvalidValues_AreRefused_WithAMessage(string name, string value)
    {
        var error = TopicConfigs.Validate([new(name, value)]);

        Assert.NotNull(error);
        Assert.Contains(name, error);
    }

    [Theory]
    [InlineData("cleanup.policy", "compact,delete")]
    [InlineData("compression.type", "zstd")]
    [InlineData("retention.bytes", "-1")]
    [InlineData("min.cleanable.dirty.ratio", "0.1")]
    public void ValidValues_AreAccepted(string name, string value) =>
        Assert.Null(TopicConfigs.Validate([new(name, value)]));
}

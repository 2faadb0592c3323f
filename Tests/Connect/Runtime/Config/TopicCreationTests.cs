using Tributary.Grains.Connect.Runtime.Config;

namespace Tributary.Tests.Connect.Runtime.Config;

public sealed class TopicCreationTests
{
    private static readonly Dictionary<string, string> Config = new()
    {
        ["topic.creation.groups"] = "compacted, logs",
        ["topic.creation.default.replication.factor"] = "3",
        ["topic.creation.default.partitions"] = "5",
        ["topic.creation.default.retention.ms"] = "1000",
        ["topic.creation.compacted.include"] = "users-.*, accounts",
        ["topic.creation.compacted.cleanup.policy"] = "compact",
        ["topic.creation.compacted.partitions"] = "1",
        ["topic.creation.logs.include"] = "logs-.*",
        ["topic.creation.logs.exclude"] = "logs-internal",
        ["topic.creation.logs.replication.factor"] = "-1",
    };

    [Fact]
    public void ATopic_TakesTheFirstMatchingGroup_ElseTheDefault()
    {
        var creation = TopicCreation.From(Config)!;

        AssertSettings(1, 3, new() { ["cleanup.policy"] = "compact" }, creation.For("users-eu"));
        AssertSettings(1, 3, new() { ["cleanup.policy"] = "compact" }, creation.For("accounts"));
        AssertSettings(5, -1, [], creation.For("logs-app"));
        AssertSettings(5, 3, new() { ["retention.ms"] = "1000" }, creation.For("logs-internal"));
        AssertSettings(5, 3, new() { ["retention.ms"] = "1000" }, creation.For("orders"));
    }

    [Fact]
    public void WithoutDefaultKeys_TheConnectorCreatesNoTopics()
    {
        Assert.Null(TopicCreation.From(new Dictionary<string, string> { ["topic.creation.groups"] = "a" }));
    }

    [Fact]
    public void Validation_AsksForTheDefaultGroupsSettings_AndEachGroupsInclude()
    {
        var errors = TopicCreation.Validate(new Dictionary<string, string>
        {
            ["topic.creation.groups"] = "a",
            ["topic.creation.default.partitions"] = "0",
            ["topic.creation.a.exclude"] = "(",
        }).ToList();

        Assert.Contains(errors, e => e.Key == "topic.creation.default.replication.factor" && e.Message.Contains("Missing required configuration", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Key == "topic.creation.default.partitions" && e.Message.Contains("must be positive, or -1", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Key == "topic.creation.a.include");
        Assert.Contains(errors, e => e.Key == "topic.creation.a.exclude" && e.Message.Contains("regular expression", StringComparison.Ordinal));
        Assert.Empty(TopicCreation.Validate(Config));
        Assert.Empty(TopicCreation.Validate(new Dictionary<string, string> { ["topic"] = "t" }));
    }

    private static void AssertSettings(int partitions, short replicationFactor, Dictionary<string, string> configs, TopicSettings actual)
    {
        Assert.Equal(partitions, actual.Partitions);
        Assert.Equal(replicationFactor, actual.ReplicationFactor);
        Assert.Equal(configs, actual.Configs);
    }
}

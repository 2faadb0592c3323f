using Tributary.Grains.Storage.Config;

namespace Tributary.Tests.Storage.Config;

public sealed class BrokerConfigViewTests
{
    private static Dictionary<string, string> Configs(params (string Name, string Value)[] configs) =>
        configs.ToDictionary(c => c.Name, c => c.Value, StringComparer.Ordinal);

    [Fact]
    public void AValue_ComesFromThePerBrokerLayer_ThenTheClusterDefault_ThenStatic_ThenKafkasDefault()
    {
        var view = new BrokerConfigView(
            Configs(("num.partitions", "2"), ("log.retention.bytes", "10")),
            Configs(("num.partitions", "3"), ("log.segment.bytes", "4096")),
            Configs(("num.partitions", "4")));

        Assert.Equal("4", view.Value("num.partitions"));
        Assert.Equal("4096", view.Value("log.segment.bytes"));
        Assert.Equal("10", view.Value("log.retention.bytes"));
        Assert.Equal("8", view.Value("num.io.threads"));
        Assert.Null(view.Value("log.retention.ms"));
        Assert.Equal(
            [("num.partitions", "4", ConfigLayer.DynamicBroker), ("num.partitions", "3", ConfigLayer.DynamicDefault), ("num.partitions", "2", ConfigLayer.Static), ("num.partitions", "1", ConfigLayer.Default)],
            view.Synonyms("num.partitions").Select(s => (s.Name, s.Value, s.Layer)));
        Assert.Equal([("num.partitions", "3", ConfigLayer.DynamicDefault)], view.Synonyms("num.partitions", perBroker: false).Select(s => (s.Name, s.Value, s.Layer)));
    }

    [Fact]
    public void Synonyms_ListEveryNameOfOneSetting_FromTheDescribedNameOn_AsKafkaLists()
    {
        var view = new BrokerConfigView(dynamicDefault: Configs(("log.retention.ms", "3600000")));

        Assert.Equal(
            [("log.retention.ms", "3600000", ConfigLayer.DynamicDefault), ("log.retention.hours", "168", ConfigLayer.Default)],
            view.Synonyms("log.retention.ms").Select(s => (s.Name, s.Value, s.Layer)));
        Assert.Equal([("log.retention.hours", "168", ConfigLayer.Default)], view.Synonyms("log.retention.hours").Select(s => (s.Name, s.Value, s.Layer)));
        Assert.Empty(new BrokerConfigView().Synonyms("log.retention.ms"));
        Assert.Equal([("ssl.key.password", null, ConfigLayer.DynamicBroker)],
            new BrokerConfigView(dynamicBroker: Configs(("ssl.key.password", "secret"))).Synonyms("ssl.key.password").Select(s => (s.Name, s.Value, s.Layer)));
    }

    [Fact]
    public void TopicDefaults_TakeTheFirstBrokerSynonymWithAValue_InTheTopicsUnit()
    {
        Assert.Equal("604800000", new BrokerConfigView().TopicDefaults["retention.ms"]);
        Assert.Equal("7200000", new BrokerConfigView(Configs(("log.retention.hours", "2"))).TopicDefaults["retention.ms"]);
        Assert.Equal("300000", new BrokerConfigView(Configs(("log.retention.hours", "2")), Configs(("log.retention.minutes", "5"))).TopicDefaults["retention.ms"]);
        Assert.Equal("-1", new BrokerConfigView(dynamicDefault: Configs(("log.retention.ms", "-5"))).TopicDefaults["retention.ms"]);
        Assert.Equal("3600000", new BrokerConfigView(Configs(("log.roll.hours", "1"))).TopicDefaults["segment.ms"]);
        Assert.Equal("1000", new BrokerConfigView(dynamicBroker: Configs(("message.max.bytes", "1000"))).TopicDefaults["max.message.bytes"]);
        Assert.False(new BrokerConfigView().TopicDefaults.ContainsKey("remote.storage.enable"));
    }

    [Fact]
    public void TheLog_UsesTheBrokersTopicDefaults_UnderTheTopicsOwnConfigs()
    {
        var defaults = new BrokerConfigView(dynamicDefault: Configs(("log.retention.ms", "1000"), ("log.segment.bytes", "4096"))).TopicDefaults;

        var config = TopicConfigs.ToLogConfig(Configs(("segment.bytes", "8192")), defaults);

        Assert.Equal((1000L, 8192), (config.RetentionMs, config.SegmentBytes));
    }

    [Theory]
    [InlineData("num.io.threads", "16", "Cannot update these configs dynamically: Set(num.io.threads)")]
    [InlineData("log.retention.ms", "soon", "Invalid value soon for configuration log.retention.ms: Not a number of type LONG")]
    [InlineData("log.segment.bytes", "10", "Invalid value 10 for configuration log.segment.bytes: Value must be at least 14")]
    [InlineData("log.cleanup.policy", "delete,shred", "Invalid value delete,shred for configuration log.cleanup.policy: String must be one of: compact, delete")]
    [InlineData("auto.create.topics.enable", "maybe", "Invalid value maybe for configuration auto.create.topics.enable: Expected value to be either true or false")]
    [InlineData("my.plugin.setting", "anything", null)]
    [InlineData("log.retention.ms", "-1", null)]
    public void ADynamicChange_IsCheckedWithKafkasRulesAndWords(string name, string value, string? error)
    {
        Assert.Equal(error, BrokerConfigs.ValidateDynamic(Configs((name, value))));
    }

    [Fact]
    public void IncrementalOperations_AppendAndSubtractListsOnly_FromTheDefault()
    {
        var configs = new Dictionary<string, string>(StringComparer.Ordinal);
        var cleanupPolicy = (ConfigType.List, "delete");

        Assert.Null(IncrementalConfigChange.Apply(configs, "log.cleanup.policy", IncrementalOperation.Append, "compact,delete", cleanupPolicy));
        Assert.Equal("delete,compact", configs["log.cleanup.policy"]);
        Assert.Null(IncrementalConfigChange.Apply(configs, "log.cleanup.policy", IncrementalOperation.Subtract, "delete", cleanupPolicy));
        Assert.Equal("compact", configs["log.cleanup.policy"]);
        Assert.Equal(
            "Config value append is not allowed for config key: flush.ms",
            IncrementalConfigChange.Apply(configs, "flush.ms", IncrementalOperation.Append, "1", (ConfigType.Long, null)));
        Assert.Equal("Unknown config name: no.such", IncrementalConfigChange.Apply(configs, "no.such", IncrementalOperation.Subtract, "1", null));
        Assert.Null(IncrementalConfigChange.Apply(configs, "log.cleanup.policy", IncrementalOperation.Delete, null, cleanupPolicy));
        Assert.Empty(configs);
    }
}
